import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { MessageDto, MessagePage, RoomSummaryDto } from '@confab/shared';
import { roomOutboxStorage, roomsWithStoredOutbox } from '../lib/outboxStorage';
import { editDm, fetchDmHistory, reactDm, sendDm, syncDm } from '../services/dm';
import { editMessage, fetchHistory, reactToMessage, sendMessage, syncMessages } from '../services/lobby';
import { listRooms } from '../services/rooms';
import type { Result } from '../services/request';
import { ALICE, ALICE_USER, BOB, DESIGN_ROOM, GROUP_ROOM, SECRET_ROOM, message, roomSummary } from '../testing/factories';
import { useRoomMessagesStore } from './roomMessages';
import { useRoomsStore } from './rooms';
import { useSessionStore } from './session';

vi.mock('../services/dm', () => ({ sendDm: vi.fn(), fetchDmHistory: vi.fn(), syncDm: vi.fn(), markDmRead: vi.fn(), recallDm: vi.fn(), editDm: vi.fn(), reactDm: vi.fn() }));
vi.mock('../services/lobby', () => ({ sendMessage: vi.fn(), fetchHistory: vi.fn(), syncMessages: vi.fn(), recallMessage: vi.fn(), editMessage: vi.fn(), reactToMessage: vi.fn() }));
vi.mock('../services/rooms', () => ({ listRooms: vi.fn() }));

const page = (messages: MessageDto[], hasMore = false): Result<MessagePage> => ({ ok: true, data: { messages, hasMore } });
const list = (...rooms: RoomSummaryDto[]): Result<{ rooms: RoomSummaryDto[] }> => ({ ok: true, data: { rooms } });
const at = (roomId: string) => (seq: number, overrides: Partial<MessageDto> = {}) => message(seq, { roomId, ...overrides });
const inDesign = at(DESIGN_ROOM);
const inSecret = at(SECRET_ROOM);
const inGroup = at(GROUP_ROOM);
const design = (lastSeq: number) => roomSummary({ lastSeq });
const secret = (lastSeq: number) => roomSummary({ room: { id: SECRET_ROOM, kind: 'private_channel', name: 'secret' }, lastSeq });
const group = (lastSeq: number) => roomSummary({ room: { id: GROUP_ROOM, kind: 'group', name: null }, lastSeq });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('channel and group messages', () => {
  let store: ReturnType<typeof useRoomMessagesStore>;
  let rooms: ReturnType<typeof useRoomsStore>;

  beforeEach(async () => {
    vi.resetAllMocks();
    localStorage.clear();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    store = useRoomMessagesStore();
    rooms = useRoomsStore();
  });

  async function connect(...summaries: RoomSummaryDto[]): Promise<void> {
    vi.mocked(listRooms).mockResolvedValueOnce(list(...summaries));
    store.markConnected('lobby');
    store.markConnected('dm');
    await rooms.refresh();
  }

  it('edits, reactions and replies in a public channel go over /lobby, in a group over /dm', async () => {
    await connect(design(1), group(1));
    const original = inDesign(1);
    vi.mocked(fetchHistory).mockResolvedValue(page([original]));
    vi.mocked(fetchDmHistory).mockResolvedValue(page([inGroup(1)]));
    const none = { ok: true as const, data: null };
    for (const fn of [editMessage, editDm]) vi.mocked(fn).mockResolvedValue(none);
    for (const fn of [reactToMessage, reactDm]) vi.mocked(fn).mockResolvedValue(none);
    vi.mocked(sendMessage).mockImplementation(async ({ clientId, body }) => ({ ok: true, data: inDesign(2, { author: ALICE, clientId, body: String(body) }) }));
    const pub = store.activate(DESIGN_ROOM);
    const grp = store.activate(GROUP_ROOM);
    await flush();

    await pub.edit(original.id, 'fixed');
    await pub.react(original.id, '👍', true);
    await grp.edit(inGroup(1).id, 'fixed too');
    await grp.react(inGroup(1).id, '🎉', false);
    expect(editMessage).toHaveBeenCalledWith({ id: original.id, body: 'fixed' });
    expect(reactToMessage).toHaveBeenCalledWith({ id: original.id, emoji: '👍' }, true);
    expect(editDm).toHaveBeenCalledWith({ id: inGroup(1).id, body: 'fixed too' });
    expect(reactDm).toHaveBeenCalledWith({ id: inGroup(1).id, emoji: '🎉' }, false);

    pub.send('agreed', { messageId: original.id, seq: 1, author: BOB });
    await flush();
    expect(sendMessage).toHaveBeenCalledWith({ roomId: DESIGN_ROOM, clientId: expect.any(String), body: 'agreed', replyTo: original.id });
  });

  it('a public channel talks on /lobby and a private channel or group on /dm, each naming its room', async () => {
    await connect(design(1), secret(1), group(0));
    vi.mocked(fetchHistory).mockResolvedValue(page([inDesign(1)]));
    vi.mocked(fetchDmHistory).mockImplementation(async ({ roomId }) => page(roomId === SECRET_ROOM ? [inSecret(1)] : []));
    vi.mocked(sendMessage).mockImplementation(async ({ clientId, body }) => ({ ok: true, data: inDesign(2, { author: ALICE, clientId, body: String(body) }) }));
    vi.mocked(sendDm).mockImplementation(async ({ clientId, body, roomId }) => ({ ok: true, data: at(roomId!)(2, { author: ALICE, clientId, body: String(body) }) }));

    const pub = store.activate(DESIGN_ROOM);
    const priv = store.activate(SECRET_ROOM);
    const grp = store.activate(GROUP_ROOM);
    await flush();
    expect(fetchHistory).toHaveBeenCalledWith({ roomId: DESIGN_ROOM, limit: 50 });
    expect(vi.mocked(fetchDmHistory).mock.calls.map(([p]) => p)).toEqual([
      { roomId: SECRET_ROOM, limit: 50 },
      { roomId: GROUP_ROOM, limit: 50 },
    ]);
    pub.send('to everyone');
    priv.send('to the few');
    grp.send('to us three');
    await flush();
    expect(sendMessage).toHaveBeenCalledWith({ roomId: DESIGN_ROOM, clientId: expect.any(String), body: 'to everyone' });
    expect(vi.mocked(sendDm).mock.calls.map(([p]) => [p.roomId, p.body, p.to])).toEqual([
      [SECRET_ROOM, 'to the few', undefined],
      [GROUP_ROOM, 'to us three', undefined],
    ]);
    expect(pub.messages.map((m) => m.body)).toEqual(['message 1', 'to everyone']);
  });

  it('after a reconnect only rooms whose lastSeq moved are synced; rooms gone from the list are dropped with their unsent messages', async () => {
    await connect(design(1), secret(2), group(3));
    vi.mocked(fetchHistory).mockResolvedValue(page([inDesign(1)]));
    vi.mocked(fetchDmHistory).mockImplementation(async ({ roomId }) => page(roomId === SECRET_ROOM ? [inSecret(1), inSecret(2)] : [inGroup(1), inGroup(2), inGroup(3)]));
    const pub = store.activate(DESIGN_ROOM);
    const priv = store.activate(SECRET_ROOM);
    store.activate(GROUP_ROOM);
    await flush();

    // Offline: a message waits for the group; Alice is removed from #secret meanwhile; #design moves on.
    store.markDisconnected('lobby');
    store.markDisconnected('dm');
    rooms.markStale();
    const grp = store.room(GROUP_ROOM);
    grp.send('still here');
    priv.send('never to go out');
    expect(roomsWithStoredOutbox(ALICE.id).sort()).toEqual([GROUP_ROOM, SECRET_ROOM].sort());
    vi.clearAllMocks();
    vi.mocked(syncMessages).mockResolvedValue(page([inDesign(2, { author: BOB }), inDesign(3, { author: BOB })]));
    vi.mocked(sendDm).mockImplementation(async ({ clientId, body }) => ({ ok: true, data: inGroup(4, { author: ALICE, clientId, body: String(body) }) }));

    await connect(design(3), group(3));
    await store.catchUpChanged(() => true);
    await flush();
    // #design changed: one sync from what it held. The group did not: no request, its outbox went at once.
    expect(syncMessages).toHaveBeenCalledWith({ roomId: DESIGN_ROOM, afterSeq: 1 });
    expect(syncDm).not.toHaveBeenCalled();
    expect(fetchDmHistory).not.toHaveBeenCalled();
    expect(vi.mocked(sendDm).mock.calls.map(([p]) => p.body)).toEqual(['still here']);
    expect(pub.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    // #secret is gone: its messages and what was unsent there.
    expect(store.rooms.has(SECRET_ROOM)).toBe(false);
    expect(roomOutboxStorage(SECRET_ROOM).load(ALICE.id)).toEqual([]);
  });

  it('nothing is fetched before the list tells what changed, and a preview is kept though it is not in the list', async () => {
    vi.mocked(fetchHistory).mockResolvedValue(page([inDesign(1)]));
    store.markConnected('lobby');
    store.activate(DESIGN_ROOM, { isPreview: true });
    await flush();
    // A preview needs no list: a public channel's history is open to anyone signed in.
    expect(fetchHistory).toHaveBeenCalledTimes(1);

    store.activate(GROUP_ROOM);
    store.markConnected('dm');
    await flush();
    expect(fetchDmHistory).not.toHaveBeenCalled();

    vi.mocked(listRooms).mockResolvedValueOnce(list(group(0)));
    await rooms.refresh();
    vi.mocked(fetchDmHistory).mockResolvedValue(page([]));
    await store.catchUpChanged(() => true);
    expect(fetchDmHistory).toHaveBeenCalledWith({ roomId: GROUP_ROOM, limit: 50 });
    expect(store.rooms.has(DESIGN_ROOM)).toBe(true);
  });

  it('a live entry reaches its room if held, and a gap it reveals is filled', async () => {
    await connect(group(1));
    vi.mocked(fetchDmHistory).mockResolvedValue(page([inGroup(1)]));
    const grp = store.activate(GROUP_ROOM);
    await flush();
    vi.mocked(syncDm).mockResolvedValue(page([inGroup(2), inGroup(3)]));
    store.receiveLive(inGroup(3));
    store.flushLive();
    await flush();
    expect(syncDm).toHaveBeenCalledWith({ roomId: GROUP_ROOM, afterSeq: 1 });
    expect(grp.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    store.receiveLive(inSecret(1));
    expect(store.rooms.has(SECRET_ROOM)).toBe(false);
  });

  it('entries on their way into a room that is then dropped never reach it, nor the room when it is held again', async () => {
    await connect(group(2));
    vi.mocked(fetchDmHistory).mockResolvedValue(page([inGroup(1), inGroup(2)]));
    store.activate(GROUP_ROOM);
    await flush();
    store.receiveLive(inGroup(3));
    store.drop(GROUP_ROOM);
    const again = store.room(GROUP_ROOM);
    store.flushLive();
    expect(again.messages).toEqual([]);
    expect(syncDm).not.toHaveBeenCalled();
  });
});
