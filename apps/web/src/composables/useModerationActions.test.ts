import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createApp, defineComponent, h, reactive } from 'vue';
import type { MemberRole, MessageDto, MessagePage, RoomKind } from '@confab/shared';
import { createRoomMessages, type RoomMessages, type RoomTransport } from '../lib/roomMessages';
import { buildTimeline, type TimelineMessage } from '../lib/timeline';
import type { Result } from '../services/request';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { ALICE, ALICE_USER, BOB, DESIGN_ROOM, message, outboxItem, roomSummary } from '../testing/factories';
import { REPORTED_NOTE_MS, canRemove, canReport, isModeratorHere, useModerationActions } from './useModerationActions';

const ME = { id: ALICE.id, name: ALICE.name };
const NOW = new Date(Date.UTC(2026, 2, 1, 13));
const rowsOf = (stored: MessageDto[], outbox = [] as ReturnType<typeof outboxItem>[]) =>
  buildTimeline(stored, outbox, ME, NOW).filter((e): e is TimelineMessage => e.kind === 'message');

describe('who may report and who may remove', () => {
  const [theirs, mine] = rowsOf([message(1, { author: BOB, body: 'hi' }), message(2, { author: ALICE, body: 'me' })]);
  const [recalled] = rowsOf([message(1, { author: BOB, body: '', recalledAt: NOW.toISOString() })]);
  const [pending] = rowsOf([], [outboxItem('c9')]);
  const channel = (kind: RoomKind, myRole: MemberRole) => ({ kind, myRole });

  it('anyone reports someone else\'s message that still shows; never their own, a recalled one or one not yet sent', () => {
    expect(canReport(theirs!)).toBe(true);
    expect(canReport(mine!)).toBe(false);
    expect(canReport(recalled!)).toBe(false);
    expect(canReport(pending!)).toBe(false);
    // A public channel only previewed: the server takes no report from a non-member.
    expect(canReport(theirs!, { isMember: false })).toBe(false);
  });

  it('an admin removes anywhere; a channel\'s owner only in that channel; a member nowhere', () => {
    expect(isModeratorHere({ userRole: 'admin', room: null })).toBe(true);
    expect(isModeratorHere({ userRole: 'admin', room: channel('lobby', 'member') })).toBe(true);
    expect(isModeratorHere({ userRole: 'member', room: channel('public_channel', 'owner') })).toBe(true);
    expect(isModeratorHere({ userRole: undefined, room: channel('private_channel', 'owner') })).toBe(true);
    expect(isModeratorHere({ userRole: 'member', room: channel('public_channel', 'member') })).toBe(false);
    expect(isModeratorHere({ userRole: 'member', room: channel('group', 'owner') })).toBe(false);
    expect(isModeratorHere({ userRole: 'member', room: null })).toBe(false);
  });

  it('a moderator may remove any message that still shows, their own too, but not a tombstone or an unsent one', () => {
    const admin = { userRole: 'admin' as const, room: null };
    expect(canRemove(theirs!, admin)).toBe(true);
    expect(canRemove(mine!, admin)).toBe(true);
    expect(canRemove(recalled!, admin)).toBe(false);
    expect(canRemove(pending!, admin)).toBe(false);
    expect(canRemove(theirs!, { userRole: 'member', room: null })).toBe(false);
  });
});

describe('reporting and removing from a message list', () => {
  const target = message(1, { roomId: DESIGN_ROOM, author: BOB, body: 'buy now' });
  const page = (messages: MessageDto[]): Result<MessagePage> => ({ ok: true, data: { messages, hasMore: false } });
  let report: ReturnType<typeof vi.fn<RoomTransport['report']>>;
  let remove: ReturnType<typeof vi.fn<RoomTransport['remove']>>;
  let host: HTMLElement;

  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    // Alice is a member of #design (the room list has it).
    useRoomsStore().upsert(roomSummary({ room: { id: DESIGN_ROOM } }));
    report = vi.fn<RoomTransport['report']>(async () => ({ ok: true, data: null }));
    remove = vi.fn<RoomTransport['remove']>();
  });
  afterEach(() => {
    vi.useRealTimers();
    host?.remove();
  });

  async function mount() {
    const room = reactive(
      createRoomMessages({ send: vi.fn(), history: vi.fn(async () => page([target])), sync: vi.fn(), recall: vi.fn(), edit: vi.fn(), react: vi.fn(), remove, report }, () => ALICE.id, { roomId: DESIGN_ROOM }),
    ) as RoomMessages;
    await room.catchUp();
    let moderation!: ReturnType<typeof useModerationActions>;
    host = document.createElement('div');
    const app = createApp(
      defineComponent(() => {
        moderation = useModerationActions(() => room);
        return () => h('p');
      }),
    );
    app.mount(host);
    const entry = () => rowsOf(room.messages)[0]!;
    return { room, moderation, entry };
  }

  it('a report goes out with its reason, closes the dialog and says "reported" under the message for a while; a second report reads the same', async () => {
    const { moderation, entry } = await mount();
    moderation.openReport(entry());
    expect(moderation.target?.kind).toBe('report');
    expect(await moderation.report('spam')).toBe(true);
    expect(report).toHaveBeenCalledWith({ id: target.id, reason: 'spam' });
    expect(moderation.target).toBeNull();
    expect(moderation.isReported(entry())).toBe(true);
    vi.advanceTimersByTime(REPORTED_NOTE_MS);
    expect(moderation.isReported(entry())).toBe(false);

    // The server acks a repeated report with null too: the reader is told the same.
    moderation.openReport(entry());
    expect(await moderation.report('')).toBe(true);
    expect(moderation.isReported(entry())).toBe(true);
  });

  it('an entry in the room (its summary replaced) leaves the reader\'s role the same object; a new role in the room replaces it', async () => {
    const { moderation, entry } = await mount();
    const rooms = useRoomsStore();
    const role = moderation.role;
    const summary = rooms.byId[DESIGN_ROOM];
    rooms.noteMessage(message(50, { roomId: DESIGN_ROOM, author: BOB }));
    expect(rooms.byId[DESIGN_ROOM]).not.toBe(summary);
    expect(moderation.role).toBe(role);
    expect(moderation.canRemove(entry())).toBe(false);

    rooms.upsert(roomSummary({ room: { id: DESIGN_ROOM, myRole: 'owner' }, lastSeq: 50 }));
    expect(moderation.role).not.toBe(role);
    expect(moderation.canRemove(entry())).toBe(true);
  });

  it('a public channel only previewed (not in the room list) offers no report', async () => {
    useRoomsStore().remove(DESIGN_ROOM);
    const { moderation, entry } = await mount();
    expect(moderation.canReport(entry())).toBe(false);
    moderation.openReport(entry());
    expect(moderation.target).toBeNull();
  });

  it('a refused report stays in its dialog with the reason why, and nothing is noted', async () => {
    report.mockResolvedValue({ ok: false, error: { code: 'rate_limited', message: 'Too many requests. Try again in a moment.' } });
    const { moderation, entry } = await mount();
    moderation.openReport(entry());
    expect(await moderation.report('spam')).toBe(false);
    expect(moderation.target?.kind).toBe('report');
    expect(moderation.failureText).toBe('Too many requests. Try again in a moment.');
    expect(moderation.isReported(entry())).toBe(false);
  });

  it('a member cannot open "remove"; the channel\'s owner can, and the message becomes a tombstone', async () => {
    const { moderation, entry, room } = await mount();
    moderation.openRemove(entry());
    expect(moderation.target).toBeNull();

    useRoomsStore().upsert(roomSummary({ room: { id: DESIGN_ROOM, myRole: 'owner' } }));
    remove.mockResolvedValue({ ok: true, data: message(2, { roomId: DESIGN_ROOM, author: BOB, body: '', recall: { messageId: target.id, seq: 1, byModerator: true } }) });
    moderation.openRemove(entry());
    expect(moderation.target?.kind).toBe('remove');
    expect(await moderation.remove()).toBe(true);
    expect(moderation.target).toBeNull();
    expect(entry()).toMatchObject({ isRemoved: true, body: '' });
    expect(room.messages.at(-1)?.recall?.byModerator).toBe(true);
  });

  it('a refused removal says why in its dialog and leaves the message as it was', async () => {
    useSessionStore().user = { ...ALICE_USER, role: 'admin' };
    remove.mockResolvedValue({ ok: false, error: { code: 'forbidden', message: 'You can’t do that here.' } });
    const { moderation, entry } = await mount();
    moderation.openRemove(entry());
    expect(await moderation.remove()).toBe(false);
    expect(moderation.failureText).toBe('You can’t do that here.');
    expect(entry()).toMatchObject({ isRemoved: false, body: 'buy now' });
  });
});
