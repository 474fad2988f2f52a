import { LIMITS, LOBBY_ROOM_ID, type AuditEntryDto, type MessageDto, type ReportDto, type RoomSummaryDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_LIMIT } from '../src/services/rooms/roomModeration.js';
import type { StartServerOptions } from '../src/testing.js';
import { request } from './support/client.js';
import { dmRequest } from './support/dmClient.js';
import { adminRequest, connectAdmin, drain, historyOf, lobbySend, moderationWorld, reportMessage, type AdminClient } from './support/moderationClients.js';
import { createChannel, heard, ok, say, streamOf } from './support/roomClients.js';
import { useServer } from './support/server.js';

const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

async function world(names: string[], options: StartServerOptions = {}) {
  const w = await moderationWorld(harness, opened, names, options);
  let admin: AdminClient | undefined;
  /** Ada's `/admin` socket, connected on first use. */
  const asAdmin = async () => {
    admin ??= await connectAdmin(w.server.url, w.person('Ada'));
    opened.push(admin);
    return admin;
  };
  const reportsQueue = async (status: 'open' | 'all' = 'open') => ok(adminRequest<{ reports: ReportDto[]; hasMore: boolean }>(await asAdmin(), 'admin:reports', { status }));
  return { ...w, asAdmin, reportsQueue };
}

const storedReports = (w: Awaited<ReturnType<typeof world>>) => w.server.stores.reports.list({ status: 'all', limit: 50 });

describe('message:report', () => {
  it("stores one open report of someone else's message, and a repeat stores nothing more", async () => {
    const w = await world(['Ada', 'Bob', 'Mallory']);
    const spam = await lobbySend(w.tab('Mallory'), 'click this link');

    expect(await reportMessage(w.tab('Bob'), spam.id, 'phishing')).toEqual({ ok: true, data: null });
    expect(await request(w.tab('Bob').lobby, 'message:report', { id: spam.id, reason: 'phishing, really' })).toEqual({ ok: true, data: null });
    expect(await reportMessage(w.tab('Bob'), spam.id)).toEqual({ ok: true, data: null });

    expect(await storedReports(w)).toMatchObject([
      { messageId: spam.id, roomId: LOBBY_ROOM_ID, reporter: { id: w.tab('Bob').user.id, name: 'Bob' }, reason: 'phishing', status: 'open', resolvedBy: null },
    ]);
  });

  it('is refused for one\'s own message, a recalled one, entries that are not messages, rooms one is not in, and bad payloads, storing nothing', async () => {
    const w = await world(['Ada', 'Bob', 'Mallory']);
    const [bob, mallory] = [w.tab('Bob'), w.tab('Mallory')];
    const own = await lobbySend(bob, 'mine');
    const recalled = await lobbySend(mallory, 'oops');
    const recallEntry = await ok(request<MessageDto>(mallory.lobby, 'message:recall', { id: recalled.id }));
    const event = (await streamOf(mallory, await createChannel(mallory, 'mallorys'))).find((m) => m.event)!;
    const elsewhere = await ok(dmRequest<MessageDto>(mallory.dm, 'dm:send', { to: w.tab('Ada').user.id, clientId: 'private', body: 'just us' }));
    const spam = await lobbySend(mallory, 'spam');
    const refusal = async (payload: Record<string, unknown>) => {
      const ack = await dmRequest(bob.dm, 'message:report', payload);
      return ack.ok ? 'ok' : ack.error.code === 'invalid_payload' ? `invalid_payload:${ack.error.field}` : ack.error.code;
    };

    expect(await refusal({ id: own.id })).toBe('forbidden');
    expect(await refusal({ id: recalled.id })).toBe('not_found');
    expect(await refusal({ id: recallEntry.id })).toBe('not_found');
    expect(await refusal({ id: event.id })).toBe('not_found');
    expect(await refusal({ id: elsewhere.id })).toBe('not_found');
    expect(await refusal({ id: '0123456789abcdef01234567' })).toBe('not_found');
    expect(await refusal({ id: spam.id, reason: 'x'.repeat(LIMITS.reportReasonMaxLength + 1) })).toBe('invalid_payload:reason');
    expect(await refusal({ id: spam.id, reason: { $ne: null } })).toBe('invalid_payload:reason');
    expect(await refusal({ id: { $gt: '' } })).toBe('invalid_payload:id');
    expect(await refusal({ id: spam.id, reporter: w.tab('Ada').user.id })).toMatch(/^invalid_payload/);

    expect(await storedReports(w)).toEqual([]);
  });

  it('is rate limited, and a refused report stores nothing', async () => {
    const w = await world(['Ada', 'Bob', 'Mallory'], { config: { rateLimits: { [REPORT_LIMIT]: { points: 2, durationSeconds: 60 } } } });
    const spam = await Promise.all(['one', 'two', 'three'].map((body) => lobbySend(w.tab('Mallory'), body)));

    const acks = [];
    for (const message of spam) acks.push(await reportMessage(w.tab('Bob'), message.id));

    expect(acks.map((ack) => (ack.ok ? 'ok' : ack.error.code))).toEqual(['ok', 'ok', 'rate_limited']);
    expect((await storedReports(w)).map((r) => r.messageId).sort()).toEqual([spam[0]!.id, spam[1]!.id].sort());
  });
});

describe('the reports queue', () => {
  it('shows each open report, newest first, with its message as it is now, up to three shown entries either side, and where it is', async () => {
    const w = await world(['Ada', 'Bob', 'Carol', 'Mallory']);
    const [bob, carol, mallory] = [w.tab('Bob'), w.tab('Carol'), w.tab('Mallory')];
    const lobby: MessageDto[] = [];
    for (let i = 1; i <= 9; i += 1) {
      lobby.push(await lobbySend(i === 5 ? mallory : bob, `lobby ${i}`));
      // A reaction and a recall are entries of their own, which the context leaves out (the
      // recalled message shows as a tombstone, the reacted one with its reactions).
      if (i === 4) await ok(request(bob.lobby, 'reaction:add', { id: lobby[3]!.id, emoji: '👍' }));
      if (i === 7) await ok(request(bob.lobby, 'message:recall', { id: lobby[6]!.id }));
    }
    const general = await createChannel(bob, 'general');
    await ok(dmRequest(mallory.dm, 'room:join', { roomId: general }));
    const inChannel = await say(mallory, general, 'channel spam');
    const inDm = await ok(dmRequest<MessageDto>(mallory.dm, 'dm:send', { to: bob.user.id, clientId: 'dm-spam', body: 'dm spam' }));
    const group = await ok(dmRequest<RoomSummaryDto>(carol.dm, 'group:open', { userIds: [bob.user.id, mallory.user.id] }));
    const inGroup = await say(mallory, group.room.id, 'group spam');
    for (const id of [lobby[4]!.id, inChannel.id, inDm.id]) await ok(reportMessage(bob, id, 'spam'));
    await ok(reportMessage(carol, inGroup.id, ''));
    // Reported, then recalled by its author: the queue shows it as it is now.
    await ok(request(mallory.lobby, 'message:recall', { id: lobby[4]!.id }));

    const { reports, hasMore } = await w.reportsQueue();

    expect(hasMore).toBe(false);
    expect(reports.map((r) => [r.message.id, r.roomLabel, r.reporter.name, r.reason, r.status])).toEqual([
      [inGroup.id, 'Bob, Carol, Mallory', 'Carol', '', 'open'],
      [inDm.id, 'Bob, Mallory', 'Bob', 'spam', 'open'],
      [inChannel.id, '#general', 'Bob', 'spam', 'open'],
      [lobby[4]!.id, 'Lobby', 'Bob', 'spam', 'open'],
    ]);
    const lobbyReport = reports[3]!;
    expect(lobbyReport.message).toMatchObject({ id: lobby[4]!.id, body: '', recalledAt: expect.any(String) });
    expect(lobbyReport.context.map((m) => [m.body, m.recalledAt !== undefined])).toEqual([
      ['lobby 2', false],
      ['lobby 3', false],
      ['lobby 4', false],
      ['', true],
      ['lobby 6', false],
      ['', true],
      ['lobby 8', false],
    ]);
    expect(lobbyReport.context[2]?.reactions).toEqual([{ emoji: '👍', users: [{ id: bob.user.id, name: 'Bob' }] }]);
    expect(reports[2]!.context.map((m) => m.event?.type ?? m.body)).toEqual(['created', 'joined', 'channel spam']);
    expect(reports[1]!.context.map((m) => m.body)).toEqual(['dm spam']);
  });

  it('removing from a report removes the message for everyone, the reporter sees the tombstone live, and every open report of it is resolved as removed', async () => {
    const w = await world(['Ada', 'Bob', 'Carol', 'Mallory']);
    const [bob, carol, mallory] = [w.tab('Bob'), w.tab('Carol'), w.tab('Mallory')];
    const spam = await lobbySend(mallory, 'win a prize');
    await ok(reportMessage(bob, spam.id, 'scam'));
    await ok(reportMessage(carol, spam.id, 'spam'));
    await drain(bob);
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');
    const [carolsReport, bobsReport] = (await w.reportsQueue()).reports;

    const resolved = await ok(adminRequest<ReportDto>(await w.asAdmin(), 'admin:report:resolve', { id: bobsReport!.id, action: 'remove' }));

    expect(resolved).toMatchObject({ id: bobsReport!.id, status: 'removed', resolvedBy: { id: w.tab('Ada').user.id }, resolvedAt: expect.any(String) });
    expect(resolved.message).toMatchObject({ id: spam.id, body: '', removedByModerator: true });
    await drain(bob);
    expect(atBob).toMatchObject([{ recall: { messageId: spam.id, byModerator: true } }]);
    expect((await historyOf(bob)).find((m) => m.id === spam.id)).toMatchObject({ body: '', removedByModerator: true });
    expect((await w.reportsQueue()).reports).toEqual([]);
    expect((await w.reportsQueue('all')).reports.map((r) => [r.id, r.status])).toEqual([
      [carolsReport!.id, 'removed'],
      [bobsReport!.id, 'removed'],
    ]);
    const audit = await ok(adminRequest<{ entries: AuditEntryDto[] }>(await w.asAdmin(), 'admin:audit', {}));
    expect(audit.entries).toMatchObject([{ action: 'message.remove', target: { kind: 'message', id: spam.id, label: `Lobby #${spam.seq}` }, details: { author: 'Mallory', reason: 'scam' } }]);

    // Acting on it again changes nothing and sends nothing.
    expect(await adminRequest(await w.asAdmin(), 'admin:report:resolve', { id: carolsReport!.id, action: 'remove' })).toMatchObject({ ok: true, data: { status: 'removed' } });
    await drain(bob);
    expect(atBob).toHaveLength(1);
  });

  it('dismissing resolves that report only and leaves the message; an unknown report is not_found; members cannot see the queue', async () => {
    const w = await world(['Ada', 'Bob', 'Carol', 'Mallory']);
    const [bob, carol, mallory] = [w.tab('Bob'), w.tab('Carol'), w.tab('Mallory')];
    const message = await lobbySend(mallory, 'an unpopular opinion');
    await ok(reportMessage(bob, message.id, 'I disagree'));
    await ok(reportMessage(carol, message.id));
    const [carolsReport, bobsReport] = (await w.reportsQueue()).reports;

    const dismissed = await ok(adminRequest<ReportDto>(await w.asAdmin(), 'admin:report:resolve', { id: bobsReport!.id, action: 'dismiss' }));

    expect(dismissed).toMatchObject({ id: bobsReport!.id, status: 'dismissed', resolvedBy: { id: w.tab('Ada').user.id }, message: { id: message.id, body: 'an unpopular opinion' } });
    expect((await w.reportsQueue()).reports.map((r) => r.id)).toEqual([carolsReport!.id]);
    expect((await historyOf(bob)).find((m) => m.id === message.id)?.body).toBe('an unpopular opinion');
    const audit = await ok(adminRequest<{ entries: AuditEntryDto[] }>(await w.asAdmin(), 'admin:audit', {}));
    expect(audit.entries).toMatchObject([{ action: 'report.dismiss', target: { kind: 'report', id: bobsReport!.id, label: `Lobby #${message.seq}` }, details: { reporter: 'Bob', author: 'Mallory' } }]);
    expect(await adminRequest(await w.asAdmin(), 'admin:report:resolve', { id: '0123456789abcdef01234567', action: 'dismiss' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const bobAdmin = await connectAdmin(w.server.url, w.person('Bob'));
    opened.push(bobAdmin);
    expect(await adminRequest(bobAdmin, 'admin:reports', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await adminRequest(bobAdmin, 'admin:report:resolve', { id: carolsReport!.id, action: 'remove' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await w.server.stores.reports.find(carolsReport!.id))?.status).toBe('open');
    expect((await historyOf(bob)).find((m) => m.id === message.id)?.body).toBe('an unpopular opinion');
  });
});

