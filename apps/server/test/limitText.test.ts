import { randomBytes } from 'node:crypto';
import { LOBBY_ROOM_ID, describeBytes, describeDuration, type MessagePage } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from './support/client.js';
import { streamUpload, uploadFile } from './support/files.js';
import { ok, openTab, say } from './support/roomClients.js';
import { useServer } from './support/server.js';

describe('sizes and durations in server messages', () => {
  it('a size is named in the largest unit that keeps it at 1 or more, never as 0', () => {
    expect(describeBytes(1)).toBe('1 byte');
    expect(describeBytes(512)).toBe('512 bytes');
    expect(describeBytes(1024)).toBe('1 kB');
    // An admin's 0.04 MB: rounded down, so that a file of the size named passes.
    expect(describeBytes(Math.round(0.04 * 1024 * 1024))).toBe('40.9 kB');
    // The web app names a limit by the same rule (apps/web/src/lib/format.test.ts): 41943 bytes
    // is 40.9 kB on both sides, not "41 kB" (which it does not pass), 1500 bytes 1.46 kB, not "1.5 kB".
    expect(describeBytes(41_943)).toBe('40.9 kB');
    expect(describeBytes(1500)).toBe('1.46 kB');
    expect(describeBytes(1023)).toBe('1,023 bytes');
    expect(describeBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(describeBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(describeBytes(1023 * 1024 * 1024)).toBe('1,023 MB');
    expect(describeBytes(10 * 1024 * 1024 * 1024)).toBe('10 GB');
  });

  it('a duration is named in words with its unit: under a second, seconds with a tenth, then the two largest units', () => {
    expect(describeDuration(0)).toBe('0 seconds');
    expect(describeDuration(500)).toBe('500 milliseconds');
    expect(describeDuration(1000)).toBe('1 second');
    expect(describeDuration(1500)).toBe('1.5 seconds');
    expect(describeDuration(20_000)).toBe('20 seconds');
    expect(describeDuration(60_000)).toBe('1 minute');
    expect(describeDuration(90_500)).toBe('1 minute and 30 seconds');
    expect(describeDuration(15 * 60_000)).toBe('15 minutes');
    expect(describeDuration(3_600_000 + 59_000)).toBe('1 hour');
    expect(describeDuration(26 * 3_600_000)).toBe('1 day and 2 hours');
    expect(describeDuration(7 * 86_400_000)).toBe('7 days');
  });
});

describe('limits below one unit, as refusals name them', () => {
  const harness = useServer();
  const opened: { disconnect(): unknown }[] = [];
  afterEach(() => {
    for (const socket of opened.splice(0)) socket.disconnect();
  });

  it('an upload over a 0.04 MB limit is refused with the limit named (40.9 kB), not "0 MB"; one under it is stored', async () => {
    const limit = Math.round(0.04 * 1024 * 1024);
    const server = await harness.start({ config: { uploadMaxBytes: limit } });
    const alice = await server.seedUser('alice');
    const over = await streamUpload(server.url, alice.cookie, 200 * 1024);
    expect(over.status).toBe(413);
    expect(over.body?.error).toEqual({ code: 'file_too_large', message: 'Files may be at most 40.9 kB. Nothing was stored.' });
    const under = await uploadFile(server.url, alice.cookie, { bytes: randomBytes(40 * 1024), name: 'under.bin' });
    expect(under.status).toBe(201);
  });

  it('a 1500-byte limit is named 1.46 kB, as the web app names it, and a file of 1.46 kB passes it', async () => {
    const server = await harness.start({ config: { uploadMaxBytes: 1500 } });
    const alice = await server.seedUser('alice');
    const over = await uploadFile(server.url, alice.cookie, { bytes: randomBytes(1501), name: 'over.bin' });
    expect(over.status).toBe(413);
    expect(over.body?.error).toEqual({ code: 'file_too_large', message: 'Files may be at most 1.46 kB. Nothing was stored.' });
    // 1.46 kB is 1495 bytes: what the refusal names is stored.
    const named = await uploadFile(server.url, alice.cookie, { bytes: randomBytes(Math.floor(1.46 * 1024)), name: 'named.bin' });
    expect(named.status).toBe(201);
  });

  it('a quota below one megabyte is named in kilobytes when an upload would pass it', async () => {
    const server = await harness.start({ config: { uploadQuotaBytes: 300 * 1024 } });
    const alice = await server.seedUser('alice');
    const over = await uploadFile(server.url, alice.cookie, { bytes: randomBytes(400 * 1024), name: 'big.bin' });
    expect(over.status).toBe(413);
    expect(over.body.error).toEqual({ code: 'quota_exceeded', message: 'This file would take your uploads over your 300 kB storage quota. Nothing was stored.' });
  });

  it('an edit after a 20-second window is refused naming "20 seconds", and the message is unchanged', async () => {
    let now = Date.now();
    const server = await harness.start({ now: () => new Date(now), config: { editWindowMs: 20_000 } });
    const alice = await openTab(server.url, await server.seedUser('alice'), opened);
    const sent = await say(alice, LOBBY_ROOM_ID, 'first words');
    now += 21_000;
    expect(await request(alice.lobby, 'message:edit', { id: sent.id, body: 'second thoughts' })).toEqual({
      ok: false,
      error: { code: 'edit_window_expired', message: 'Messages can only be edited within 20 seconds of sending.' },
    });
    const page = await ok(request<MessagePage>(alice.lobby, 'message:history', { limit: 5 }));
    expect(page.messages.map((m) => m.body)).toEqual(['first words']);
  });

  it('a recall after a 1.5-second window names "1.5 seconds"; with the window at 0 it says recall is off', async () => {
    let now = Date.now();
    const server = await harness.start({ now: () => new Date(now), config: { recallWindowMs: 1500 } });
    const alice = await openTab(server.url, await server.seedUser('alice'), opened);
    const sent = await say(alice, LOBBY_ROOM_ID, 'too late to take back');
    now += 2000;
    expect(await request(alice.lobby, 'message:recall', { id: sent.id })).toEqual({
      ok: false,
      error: { code: 'recall_window_expired', message: 'Messages can only be recalled within 1.5 seconds of sending.' },
    });

    const off = await harness.start({ now: () => new Date(now), config: { recallWindowMs: 0 } });
    const bob = await openTab(off.url, await off.seedUser('bob'), opened);
    const kept = await say(bob, LOBBY_ROOM_ID, 'here to stay');
    now += 1;
    expect(await request(bob.lobby, 'message:recall', { id: kept.id })).toEqual({
      ok: false,
      error: { code: 'recall_window_expired', message: 'Recalling messages is switched off on this server.' },
    });
  });
});
