import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { MessageDto, MessagePage } from '@confab/shared';
import { fetchHistory, sendMessage, syncMessages, type Result } from '../services/lobby';
import { ALICE, BOB, BOB_USER, message } from '../testing/factories';
import { useLobbyStore } from './lobby';
import { useSessionStore } from './session';

vi.mock('../services/lobby', () => ({ sendMessage: vi.fn(), fetchHistory: vi.fn(), syncMessages: vi.fn() }));

const page = (messages: MessageDto[], hasMore = false): Result<MessagePage> => ({ ok: true, data: { messages, hasMore } });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
/** What the server would store for a send: ours, next seq. */
const stored = (seq: number, clientId: string, body: string) => message(seq, { author: ALICE, clientId, body });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('lobby store', () => {
  let lobby: ReturnType<typeof useLobbyStore>;

  beforeEach(() => {
    vi.resetAllMocks();
    localStorage.clear();
    setActivePinia(createPinia());
    useSessionStore().user = { id: ALICE.id, username: 'alice', displayName: ALICE.name };
    lobby = useLobbyStore();
  });

  it('a message written while offline waits as pending, then goes out on resume and the ack settles it', async () => {
    vi.mocked(sendMessage).mockImplementation(async ({ clientId, body }) => ({ ok: true, data: stored(1, clientId, String(body)) }));
    expect(lobby.send('  hello  ')).toBe(true);
    await flush();
    expect(sendMessage).not.toHaveBeenCalled();
    expect(lobby.outbox).toMatchObject([{ body: 'hello', status: 'pending' }]);
    const { clientId } = lobby.outbox[0]!;

    lobby.resume();
    await flush();
    expect(sendMessage).toHaveBeenCalledWith({ clientId, body: 'hello' });
    expect(lobby.outbox).toEqual([]);
    expect(lobby.messages.map((m) => [m.seq, m.body])).toEqual([[1, 'hello']]);
  });

  it('sends one at a time, in the order they were written', async () => {
    const acks = [deferred<Result<MessageDto>>(), deferred<Result<MessageDto>>()];
    vi.mocked(sendMessage).mockImplementation(() => acks[vi.mocked(sendMessage).mock.calls.length - 1]!.promise);
    lobby.resume();
    lobby.send('first');
    lobby.send('second');
    await flush();
    expect(vi.mocked(sendMessage).mock.calls.map(([p]) => p.body)).toEqual(['first']);

    acks[0]!.resolve({ ok: true, data: stored(1, lobby.outbox[0]!.clientId, 'first') });
    await flush();
    expect(vi.mocked(sendMessage).mock.calls.map(([p]) => p.body)).toEqual(['first', 'second']);
    acks[1]!.resolve({ ok: true, data: stored(2, lobby.outbox[0]!.clientId, 'second') });
    await flush();
    expect(lobby.outbox).toEqual([]);
  });

  it('a refusal marks the message failed; Retry sends it again under the same clientId', async () => {
    vi.mocked(sendMessage).mockResolvedValueOnce({ ok: false, error: { code: 'unavailable', message: 'The database is unreachable.' } });
    lobby.resume();
    lobby.send('hi');
    await flush();
    const [item] = lobby.outbox;
    expect(item).toMatchObject({ status: 'failed', error: { code: 'unavailable', message: 'The database is unreachable.' } });

    vi.mocked(sendMessage).mockResolvedValueOnce({ ok: true, data: stored(1, item!.clientId, 'hi') });
    lobby.retry(item!.clientId);
    expect(lobby.outbox[0]!.status).toBe('pending');
    await flush();
    expect(vi.mocked(sendMessage).mock.calls.map(([p]) => p.clientId)).toEqual([item!.clientId, item!.clientId]);
    expect(lobby.outbox).toEqual([]);
  });

  it('rate_limited holds the send (and those behind it, in order) for retryAfterMs, then sends it again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    try {
      let seq = 0;
      vi.mocked(sendMessage)
        .mockResolvedValueOnce({ ok: false, error: { code: 'rate_limited', message: 'Too many messages.', retryAfterMs: 3_000 } })
        .mockImplementation(async ({ clientId, body }) => ({ ok: true, data: stored(++seq, clientId, String(body)) }));
      lobby.resume();
      lobby.send('one');
      lobby.send('two');
      await vi.advanceTimersByTimeAsync(0);
      expect(lobby.outbox.map((o) => [o.body, o.status, o.heldUntil])).toEqual([
        ['one', 'pending', Date.now() + 3_000],
        ['two', 'pending', undefined],
      ]);
      await vi.advanceTimersByTimeAsync(2_900);
      expect(vi.mocked(sendMessage)).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(lobby.outbox).toEqual([]);
      expect(lobby.messages.map((m) => m.body)).toEqual(['one', 'two']);
      const clientIds = vi.mocked(sendMessage).mock.calls.map(([p]) => p.clientId);
      expect(clientIds[0]).toBe(clientIds[1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a send cut off by a disconnect stays pending and is resent on resume, unless the catch-up already brought it back', async () => {
    vi.mocked(sendMessage).mockResolvedValue({ ok: false, error: { code: 'disconnected', message: 'gone' } });
    lobby.resume();
    lobby.send('maybe stored');
    lobby.send('surely not stored');
    await flush();
    lobby.pause();
    expect(lobby.outbox.map((i) => i.status)).toEqual(['pending', 'pending']);
    const [first, second] = lobby.outbox;

    // The server had stored the first before the drop: the catch-up returns it and settles it.
    vi.mocked(fetchHistory).mockResolvedValue(page([]));
    vi.mocked(syncMessages).mockResolvedValue(page([stored(1, first!.clientId, 'maybe stored')]));
    await lobby.catchUp(); // first load
    await lobby.catchUp(); // a reconnect
    vi.mocked(sendMessage).mockReset().mockResolvedValue({ ok: true, data: stored(2, second!.clientId, 'surely not stored') });
    lobby.resume();
    await flush();
    expect(vi.mocked(sendMessage).mock.calls.map(([p]) => p.clientId)).toEqual([second!.clientId]);
    expect(lobby.outbox).toEqual([]);
    expect(lobby.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('resume leaves refusals that would fail again alone', async () => {
    vi.mocked(sendMessage).mockResolvedValue({ ok: false, error: { code: 'invalid_payload', message: 'no', field: 'body' } });
    lobby.resume();
    lobby.send('x');
    await flush();
    lobby.pause();
    lobby.resume();
    await flush();
    expect(sendMessage).toHaveBeenCalledTimes(1);
    expect(lobby.outbox[0]!.status).toBe('failed');
    lobby.discard(lobby.outbox[0]!.clientId);
    expect(lobby.outbox).toEqual([]);
  });

  it('refuses a blank or oversized body without queueing it', () => {
    expect(lobby.send('   \n ')).toBe(false);
    expect(lobby.send('x'.repeat(4001))).toBe(false);
    expect(lobby.outbox).toEqual([]);
  });

  it('catch-up loads the newest page first, then syncs from the last seq held without a gap, page by page', async () => {
    vi.mocked(fetchHistory).mockResolvedValueOnce(page(range(51, 100), true));
    await lobby.catchUp();
    expect(fetchHistory).toHaveBeenCalledWith({ limit: 50 });
    expect(lobby).toMatchObject({ floorSeq: 50, hasOlder: true, loadStatus: 'done', syncedSeq: 100 });

    // A live message ahead of a hole must not hide the hole: once its frame's entries are in, the store fills it.
    vi.mocked(syncMessages).mockResolvedValueOnce(page(range(101, 102), true)).mockResolvedValueOnce(page(range(103, 105)));
    expect(lobby.receiveLive(message(104))).toBe(false);
    expect(syncMessages).not.toHaveBeenCalled();
    lobby.flushLive();
    await vi.waitFor(() => expect(lobby.syncedSeq).toBe(105));
    expect(vi.mocked(syncMessages).mock.calls.map(([p]) => p.afterSeq)).toEqual([100, 102]);
    expect(lobby.messages).toHaveLength(55);
    lobby.receiveLive(message(106));
    lobby.flushLive();
    expect(lobby.syncedSeq).toBe(106);
    expect(syncMessages).toHaveBeenCalledTimes(2);
  });

  it('live entries wait for the next frame and then go in together, a burst of removals as one change of the list', async () => {
    vi.mocked(fetchHistory).mockResolvedValueOnce(page(range(1, 50)));
    await lobby.catchUp();
    const before = lobby.messages;
    const changes: number[] = [];
    lobby.$subscribe(() => changes.push(lobby.messages.length), { flush: 'sync' });
    for (let seq = 51; seq <= 80; seq += 1) lobby.receiveLive(message(seq, { body: '', recall: { messageId: before[seq - 51]!.id, seq: seq - 50, byModerator: true } }));
    expect(lobby.messages).toBe(before);
    await vi.waitFor(() => expect(lobby.messages).toHaveLength(80));
    expect(lobby.messages.slice(0, 30).every((m) => m.removedByModerator === true && m.body === '')).toBe(true);
    expect(lobby.messages.slice(30, 50).every((m) => m.body !== '')).toBe(true);
    expect(changes).toEqual([80]);
    expect(syncMessages).not.toHaveBeenCalled();
  });

  it('entries on their way in when the user signs out are dropped with the rest', async () => {
    vi.mocked(fetchHistory).mockResolvedValueOnce(page(range(1, 3)));
    await lobby.catchUp();
    lobby.receiveLive(message(4));
    lobby.reset();
    lobby.flushLive();
    expect(lobby.messages).toEqual([]);
  });

  it('loading older asks for the page before the oldest message held', async () => {
    vi.mocked(fetchHistory).mockResolvedValueOnce(page(range(51, 100), true)).mockResolvedValueOnce(page(range(1, 50), false));
    await lobby.catchUp();
    await lobby.loadOlder();
    expect(vi.mocked(fetchHistory).mock.calls[1]![0]).toEqual({ beforeSeq: 51, limit: 50 });
    expect(lobby).toMatchObject({ floorSeq: 0, hasOlder: false, historyStatus: 'done' });
    expect(lobby.messages.map((m) => m.seq)).toEqual(range(1, 100).map((m) => m.seq));
    await lobby.loadOlder();
    expect(fetchHistory).toHaveBeenCalledTimes(2);
  });

  it('drops answers that arrive after a reset (another user signed in meanwhile)', async () => {
    const answer = deferred<Result<MessagePage>>();
    vi.mocked(fetchHistory).mockReturnValueOnce(answer.promise);
    const run = lobby.catchUp();
    lobby.reset();
    answer.resolve(page([message(1, { author: BOB })]));
    expect(await run).toBe(false);
    expect(lobby.messages).toEqual([]);
    expect(lobby.floorSeq).toBeNull();
  });

  describe('the outbox kept in this browser', () => {
    const ALICE_USER = { id: ALICE.id, username: 'alice', displayName: ALICE.name };
    /** What a reload, or a session that ended and a sign-in, does to the store. */
    function signInAgain(user: typeof ALICE_USER): void {
      lobby.reset();
      useSessionStore().user = user;
      lobby.restore();
    }

    it('an unsent message survives a reload and goes out with its original clientId, exactly once', async () => {
      lobby.send('written offline');
      const { clientId } = lobby.outbox[0]!;
      signInAgain(ALICE_USER);
      expect(lobby.outbox).toMatchObject([{ clientId, body: 'written offline', status: 'pending' }]);

      vi.mocked(fetchHistory).mockResolvedValue(page([]));
      vi.mocked(sendMessage).mockImplementation(async (p) => ({ ok: true, data: stored(1, p.clientId, String(p.body)) }));
      await lobby.catchUp();
      lobby.resume();
      await flush();
      expect(vi.mocked(sendMessage).mock.calls.map(([p]) => p)).toEqual([{ clientId, body: 'written offline' }]);
      expect(lobby.outbox).toEqual([]);

      signInAgain(ALICE_USER);
      expect(lobby.outbox).toEqual([]);
    });

    it('a message the server stored before the ack was lost is settled by the catch-up, not sent again', async () => {
      lobby.send('stored, ack lost');
      const { clientId } = lobby.outbox[0]!;
      signInAgain(ALICE_USER);
      vi.mocked(fetchHistory).mockResolvedValue(page([stored(1, clientId, 'stored, ack lost')]));
      await lobby.catchUp();
      lobby.resume();
      await flush();
      expect(sendMessage).not.toHaveBeenCalled();
      expect(lobby.outbox).toEqual([]);
      expect(lobby.messages.map((m) => m.body)).toEqual(['stored, ack lost']);
    });

    it('another user signing in on this browser never sees or sends it; its owner gets it back', async () => {
      lobby.send('alice only');
      signInAgain(BOB_USER);
      expect(lobby.outbox).toEqual([]);
      lobby.resume();
      await flush();
      expect(sendMessage).not.toHaveBeenCalled();

      signInAgain(ALICE_USER);
      expect(lobby.outbox.map((o) => o.body)).toEqual(['alice only']);
    });

    it('a refusal is kept as failed with its reason, is not sent again by itself, and Delete forgets it', async () => {
      vi.mocked(sendMessage).mockResolvedValue({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
      lobby.resume();
      lobby.send('refused');
      await flush();
      signInAgain(ALICE_USER);
      expect(lobby.outbox).toMatchObject([{ body: 'refused', status: 'failed', error: { code: 'forbidden', message: 'Not allowed.' } }]);
      lobby.resume();
      await flush();
      expect(sendMessage).toHaveBeenCalledTimes(1);

      lobby.discard(lobby.outbox[0]!.clientId);
      signInAgain(ALICE_USER);
      expect(lobby.outbox).toEqual([]);
    });

    it('an answer arriving after its user signed out changes nothing kept', async () => {
      const ack = deferred<Result<MessageDto>>();
      vi.mocked(sendMessage).mockReturnValueOnce(ack.promise);
      lobby.resume();
      lobby.send('in flight');
      await flush();
      useSessionStore().user = null;
      ack.resolve({ ok: false, error: { code: 'timeout', message: 'late' } });
      await flush();
      signInAgain(ALICE_USER);
      expect(lobby.outbox).toMatchObject([{ body: 'in flight', status: 'pending' }]);
    });
  });
});
