import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { watch } from 'vue';
import { FRAME_FALLBACK_MS } from '../lib/liveBatch';
import { summaryPreview } from '../lib/rooms';
import { ALICE, ALICE_USER, BOB, message, roomSummary } from '../testing/factories';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { createRoomsRealtime } from './roomsRealtime';

vi.mock('../services/rooms', () => ({ listRooms: vi.fn() }));

const removal = (seq: number, of: number) => message(seq, { author: BOB, body: '', recall: { messageId: message(of).id, seq: of, byModerator: true } });

describe('rooms realtime edge', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
  });
  afterEach(() => vi.useRealTimers());

  it("a ban's burst of removal entries reaches the summaries once, at the next frame, with its preview and counts", () => {
    const rooms = useRoomsStore();
    rooms.upsert(roomSummary({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' }, lastSeq: 300, myReadSeq: 280, unreadCount: 20 }));
    const link = createRoomsRealtime();
    let replacements = 0;
    const stop = watch(() => rooms.byId, () => (replacements += 1), { flush: 'sync' });

    for (let i = 1; i <= 300; i += 1) link.noteEntry(removal(300 + i, i));
    expect(replacements).toBe(0);
    vi.advanceTimersByTime(FRAME_FALLBACK_MS);
    stop();
    expect(replacements).toBe(1);
    expect(rooms.byId.lobby).toMatchObject({ lastSeq: 600, unreadCount: 0 });
    expect(summaryPreview(rooms.byId.lobby!, ALICE.id)).toBe('Message removed by a moderator');
  });

  it('entries still on their way when another user signs in are dropped', () => {
    const rooms = useRoomsStore();
    rooms.upsert(roomSummary({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' }, lastSeq: 3 }));
    const link = createRoomsRealtime();
    link.noteEntry(message(4, { author: BOB }));
    link.discardNotes();
    vi.advanceTimersByTime(FRAME_FALLBACK_MS);
    expect(rooms.byId.lobby).toMatchObject({ lastSeq: 3, unreadCount: 0 });
  });
});
