import { computed, ref, shallowRef, type UnwrapNestedRefs } from 'vue';
import { LIMITS, bodyLength, bodySchema, type AttachmentDto, type MessageDto, type MessagePage, type ReplyQuoteDto } from '@confab/shared';
import type { Result } from '../services/request';
import { applyStates, collectStates, quoteOf, type KnownState, type ReplyRef } from './messageChanges';
import { contiguousSeq, isRetryable, mergeMessages, newClientId, settleOutbox, type OutboxItem } from './messages';
import { saveOutboxChanges, type OutboxPersistence } from './outboxStorage';
import { createSerialQueue } from './serialQueue';
import { serverClock, serverNow } from './serverClock';

/** Messages per history request: about two screens' worth. */
export const HISTORY_PAGE_SIZE = 50;

/** A send refused as rate_limited waits and goes again this often before it shows as failed. */
const MAX_RATE_LIMIT_WAITS = 5;

/** Why a reply is not sent when the client already knows its original is gone (the server would refuse it). */
export const REPLY_RECALLED_MESSAGE = 'The message it replies to was recalled.';

export type AsyncStatus = 'idle' | 'loading' | 'done' | 'error';

/** Older pages a jump to a quoted message loads at most before it says the message is not found. */
export const LOCATE_MAX_PAGES = 20;

/** How one room talks to the server: the lobby's events, or a DM room's with its roomId filled in. */
export interface RoomTransport {
  send(payload: { clientId: string; body: string; replyTo?: string; attachments?: string[] }): Promise<Result<MessageDto>>;
  history(payload: { beforeSeq?: number; limit: number }): Promise<Result<MessagePage>>;
  sync(payload: { afterSeq: number }): Promise<Result<MessagePage>>;
  recall(payload: { id: string }): Promise<Result<MessageDto>>;
  /** Ack: the edit's change entry, or null when the text was already this. */
  edit(payload: { id: string; body: string }): Promise<Result<MessageDto | null>>;
  /** `add`: reaction:add, else reaction:remove. Ack: the change entry, or null when nothing changed. */
  react(payload: { id: string; emoji: string }, add: boolean): Promise<Result<MessageDto | null>>;
  /** `message:remove`, as a moderator. Ack: the removal entry. */
  remove(payload: { id: string }): Promise<Result<MessageDto>>;
  /** `message:report` to the server's admins. Ack: null, for a repeated report too. */
  report(payload: { id: string; reason: string }): Promise<Result<null>>;
}

export interface RoomOptions {
  /** The room's id: the key of its draft and of its kept outbox. */
  roomId?: string;
  /** Where the outbox is kept across reloads and sign-ins; without it, it lives as long as the tab. */
  persistence?: OutboxPersistence;
}

/**
 * One room's messages (merged by seq) and this user's outbox of unacked sends to it: the single
 * implementation of merging, catch-up, history paging, outbox, retry and resend that the lobby
 * store and every DM room share. Returns refs and functions, so a Pinia setup store can return
 * it as is and a plain holder can wrap it in `reactive()`.
 */
export function createRoomMessages(transport: RoomTransport, myId: () => string | undefined, options: RoomOptions = {}) {
  const { persistence } = options;
  const roomId = options.roomId ?? null;
  // Replaced wholesale by mergeMessages, never mutated, so a shallow ref is enough.
  const messages = shallowRef<MessageDto[]>([]);
  const outbox = ref<OutboxItem[]>([]);
  // Whose kept outbox this one mirrors: set when it is restored (or on the first send), cleared
  // by reset(), so that nothing of one user's is ever written under another user's key.
  let owner: string | null = null;
  /** The seq just below the oldest message held; null until the first page arrived. */
  const floorSeq = ref<number | null>(null);
  const hasOlder = ref(false);
  const loadStatus = ref<AsyncStatus>('idle');
  const historyStatus = ref<AsyncStatus>('idle');
  /** Connected and caught up: sends go out now instead of waiting in the outbox. */
  const isLive = ref(false);

  // The newest state of every message a recall or change entry named (message id → state), kept
  // apart from `messages` so that an entry that arrives before its target still applies once the
  // target does, and so that replies quoting a changed message show it as it is now. A ref, so that
  // a pending reply's quote (built when shown) follows it.
  const states = shallowRef(new Map<string, KnownState>());

  // Recall and change entries stay in `messages`: they occupy seqs, so gap tracking must count them.
  const syncedSeq = computed(() => contiguousSeq(messages.value, floorSeq.value ?? 0));

  // Bumped by reset(): answers to requests made for a previous user are dropped.
  let generation = 0;
  // Sends go out one at a time so that the server numbers them in the order they were written.
  const sendQueue = createSerialQueue();
  let catchUpRun: Promise<boolean> | null = null;
  let isCatchUpStale = false;

  /** Replaces the outbox, and writes what changed to the kept copy. */
  function setOutbox(next: OutboxItem[]): void {
    const previous = outbox.value;
    outbox.value = next;
    // Once its user has signed out (or their session ended), late answers change nothing kept.
    if (persistence && owner !== null && owner === myId()) saveOutboxChanges(persistence, owner, previous, next);
  }

  /** Merges entries; `asOfSeq` for a page, whose messages are current as of that seq (see collectStates). */
  function receive(incoming: readonly MessageDto[], asOfSeq?: number): void {
    states.value = collectStates(states.value, incoming, asOfSeq);
    messages.value = applyStates(mergeMessages(messages.value, incoming), states.value);
    const me = myId();
    let next = outbox.value;
    for (const message of incoming) next = settleOutbox(next, message, me);
    if (next !== outbox.value) setOutbox(next);
  }

  /** The newest seq held: a page requested now is served after every entry up to it was stored. */
  const newestHeld = () => messages.value.at(-1)?.seq ?? 0;

  /** Takes in a history or sync page requested when `heldAtRequest` was the newest seq held. */
  function receivePage(page: readonly MessageDto[], heldAtRequest: number): void {
    receive(page, Math.max(heldAtRequest, page.at(-1)?.seq ?? 0));
  }

  /** The quote a pending reply to `ref` shows now (its original's current text, or recalled). */
  function quoteFor(ref: ReplyRef): ReplyQuoteDto {
    return quoteOf(ref, messages.value, states.value);
  }

  /** Merges a broadcast message; true when it reveals a gap that a catch-up must fill. */
  function receiveLive(message: MessageDto): boolean {
    const before = syncedSeq.value;
    receive([message]);
    return floorSeq.value !== null && message.seq > before + 1;
  }

  async function loadLatest(gen: number): Promise<boolean> {
    loadStatus.value = 'loading';
    const held = newestHeld();
    const res = await transport.history({ limit: HISTORY_PAGE_SIZE });
    if (gen !== generation) return false;
    if (!res.ok) {
      loadStatus.value = 'error';
      return false;
    }
    floorSeq.value = (res.data.messages[0]?.seq ?? 1) - 1;
    hasOlder.value = res.data.hasMore;
    receivePage(res.data.messages, held);
    loadStatus.value = 'done';
    return true;
  }

  async function catchUpOnce(gen: number): Promise<boolean> {
    if (floorSeq.value === null) return loadLatest(gen);
    for (;;) {
      const afterSeq = syncedSeq.value;
      const held = newestHeld();
      const res = await transport.sync({ afterSeq });
      if (gen !== generation || !res.ok) return false;
      receivePage(res.data.messages, held);
      // The second test guards against looping forever on a page that does not move us forward.
      if (!res.data.hasMore || syncedSeq.value <= afterSeq) return true;
    }
  }

  /**
   * Loads the newest page the first time, and afterwards everything after the last seq held
   * without a gap. Calls made while one runs share it, and make it go round once more.
   */
  function catchUp(): Promise<boolean> {
    if (catchUpRun) {
      isCatchUpStale = true;
      return catchUpRun;
    }
    const gen = generation;
    catchUpRun = (async () => {
      try {
        do {
          isCatchUpStale = false;
          if (!(await catchUpOnce(gen))) return false;
        } while (isCatchUpStale);
        return true;
      } finally {
        if (gen === generation) catchUpRun = null;
      }
    })();
    return catchUpRun;
  }

  let olderRun: Promise<void> | null = null;

  /** Loads the page before the oldest held; a call while one is loading shares it. */
  function loadOlder(): Promise<void> {
    if (olderRun) return olderRun;
    if (!hasOlder.value || floorSeq.value === null) return Promise.resolve();
    const run = loadOlderPage().finally(() => {
      if (olderRun === run) olderRun = null;
    });
    olderRun = run;
    return run;
  }

  async function loadOlderPage(): Promise<void> {
    if (floorSeq.value === null) return;
    const gen = generation;
    historyStatus.value = 'loading';
    const held = newestHeld();
    const res = await transport.history({ beforeSeq: floorSeq.value + 1, limit: HISTORY_PAGE_SIZE });
    if (gen !== generation) return;
    if (!res.ok) {
      historyStatus.value = 'error';
      return;
    }
    floorSeq.value = (res.data.messages[0]?.seq ?? floorSeq.value + 1) - 1;
    hasOlder.value = res.data.hasMore;
    receivePage(res.data.messages, held);
    historyStatus.value = 'done';
  }

  /**
   * Loads older pages until the entry at `seq` is within what is held, `maxPages` pages at most;
   * true when it is, whether or not it still exists.
   */
  async function locate(seq: number, maxPages = LOCATE_MAX_PAGES): Promise<boolean> {
    for (let page = 0; ; page += 1) {
      if (floorSeq.value === null) return false;
      if (seq > floorSeq.value) return true;
      if (!hasOlder.value || page >= maxPages) return false;
      await loadOlder();
      if (historyStatus.value === 'error') return false;
    }
  }

  function update(clientId: string, patch: Partial<OutboxItem>): void {
    setOutbox(outbox.value.map((item) => (item.clientId === clientId ? { ...item, ...patch } : item)));
  }

  async function deliver(clientId: string, gen: number, waits = 0): Promise<void> {
    const item = outbox.value.find((i) => i.clientId === clientId);
    // Settled meanwhile (a catch-up brought it back), or offline again: it stays pending for resume().
    if (gen !== generation || !item || item.status !== 'pending' || !isLive.value) return;
    // The server refuses a reply to a recalled message: say so now, and never send it again by itself.
    if (item.replyTo && quoteFor(item.replyTo).recalled) {
      update(clientId, { status: 'failed', error: { code: 'not_found', field: 'replyTo', message: REPLY_RECALLED_MESSAGE } });
      return;
    }
    const res = await transport.send({
      clientId,
      body: item.body,
      ...(item.replyTo ? { replyTo: item.replyTo.messageId } : {}),
      ...(item.attachments?.length ? { attachments: item.attachments.map((file) => file.id) } : {}),
    });
    if (gen !== generation) return;
    if (res.ok) {
      // Only a lower bound: the ack of a resent message carries its original createdAt.
      serverClock.notBefore(res.data.createdAt);
      receive([res.data]);
    }
    else if (res.error.code === 'rate_limited' && waits < MAX_RATE_LIMIT_WAITS) {
      // Hold this send, and the queue behind it (order is kept), until the server allows it.
      const delayMs = Math.max(res.error.retryAfterMs ?? 1_000, 250);
      update(clientId, { heldUntil: Date.now() + delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      update(clientId, { heldUntil: undefined });
      await deliver(clientId, gen, waits + 1);
    } else if (res.error.code !== 'disconnected') update(clientId, { status: 'failed', error: res.error });
  }

  function enqueue(clientId: string): void {
    const gen = generation;
    sendQueue.push(clientId, () => deliver(clientId, gen));
  }

  /**
   * Queues a message, a reply to `replyTo` if given, carrying uploaded `attachments` if given (its
   * text may then be blank); false when the body fails the shared schema (the composer says why).
   */
  function send(rawBody: string, replyTo?: ReplyRef, attachments: readonly AttachmentDto[] = []): boolean {
    if (attachments.length > LIMITS.attachmentsPerMessageMax) return false;
    const isFilesOnly = attachments.length > 0 && bodyLength(rawBody) === 0;
    const parsed = isFilesOnly ? { success: true as const, data: '' } : bodySchema.safeParse(rawBody);
    if (!parsed.success) return false;
    const item: OutboxItem = {
      clientId: newClientId(),
      body: parsed.data,
      ...(attachments.length > 0 ? { attachments: [...attachments] } : {}),
      createdAt: serverNow().toISOString(),
      status: 'pending',
      // Only what names the original: its quote is built when shown, so it follows edits and recalls.
      ...(replyTo ? { replyTo: { messageId: replyTo.messageId, seq: replyTo.seq, author: { id: replyTo.author.id, name: replyTo.author.name } } } : {}),
    };
    owner ??= myId() ?? null;
    setOutbox([...outbox.value, item]);
    enqueue(item.clientId);
    return true;
  }

  /**
   * Sends a failed message again under the same clientId, so a late first copy cannot duplicate it.
   * `withoutReply`: as a plain message (its original is gone, so the server refuses it as a reply).
   */
  function retry(clientId: string, withoutReply = false): void {
    update(clientId, { status: 'pending', error: undefined, ...(withoutReply ? { replyTo: undefined } : {}) });
    enqueue(clientId);
  }

  /** Recalls one of our messages; on success the recall entry is applied at once (the broadcast repeats it harmlessly). */
  async function recall(id: string): Promise<Result<MessageDto>> {
    const gen = generation;
    const res = await transport.recall({ id });
    if (gen === generation && res.ok) receive([res.data]);
    return res;
  }

  /** Removes a message as a moderator; the removal entry is applied at once (the broadcast repeats it harmlessly). */
  async function remove(id: string): Promise<Result<MessageDto>> {
    const gen = generation;
    const res = await transport.remove({ id });
    if (gen === generation && res.ok) receive([res.data]);
    return res;
  }

  /**
   * Edits one of our messages. The acked change entry is applied at once (the broadcast repeats it
   * harmlessly); a refusal changes nothing, so the editor can keep the text and say why.
   */
  async function edit(id: string, rawBody: string): Promise<Result<MessageDto | null>> {
    const parsed = bodySchema.safeParse(rawBody);
    if (!parsed.success) return { ok: false, error: { code: 'invalid_payload', message: parsed.error.issues[0]?.message ?? 'Invalid message.' } };
    return applyAck(await withGeneration(() => transport.edit({ id, body: parsed.data })));
  }

  /** Adds (`add`) or takes back our reaction; the caller decides which from what it shows, never a blind toggle. */
  async function react(id: string, emoji: string, add: boolean): Promise<Result<MessageDto | null>> {
    return applyAck(await withGeneration(() => transport.react({ id, emoji }, add)));
  }

  async function withGeneration<T>(run: () => Promise<Result<T>>): Promise<{ res: Result<T>; isCurrent: boolean }> {
    const gen = generation;
    const res = await run();
    return { res, isCurrent: gen === generation };
  }

  function applyAck({ res, isCurrent }: { res: Result<MessageDto | null>; isCurrent: boolean }): Result<MessageDto | null> {
    if (isCurrent && res.ok && res.data) receive([res.data]);
    return res;
  }

  function discard(clientId: string): void {
    setOutbox(outbox.value.filter((item) => item.clientId !== clientId));
  }

  /**
   * Takes back what the signed-in user left unsent here before a reload or an ended session.
   * It goes out with its original clientIds on the next resume(), after the catch-up that may
   * show some of it was stored after all; the server's dedup by clientId covers the rest.
   */
  function restore(): void {
    const me = myId();
    if (!me || !persistence) return;
    owner = me;
    const held = new Set(outbox.value.map((item) => item.clientId));
    const kept = persistence.load(me).filter((item) => !held.has(item.clientId));
    if (kept.length > 0) outbox.value = [...kept, ...outbox.value];
  }

  function pause(): void {
    isLive.value = false;
  }

  /** Called after a (re)connect's catch-up: sends what waited, oldest first, plus transient failures. */
  function resume(): void {
    isLive.value = true;
    for (const item of outbox.value) {
      if (item.status === 'pending' || isRetryable(item.error)) retry(item.clientId);
    }
  }

  /** Forgets everything held in memory for the previous user; their kept outbox stays under their key. */
  function reset(): void {
    generation += 1;
    owner = null;
    messages.value = [];
    states.value = new Map();
    olderRun = null;
    outbox.value = [];
    floorSeq.value = null;
    hasOlder.value = false;
    loadStatus.value = 'idle';
    historyStatus.value = 'idle';
    isLive.value = false;
    sendQueue.clear();
    catchUpRun = null;
  }

  return {
    roomId,
    messages,
    outbox,
    floorSeq,
    hasOlder,
    loadStatus,
    historyStatus,
    isLive,
    syncedSeq,
    receive,
    receiveLive,
    quoteFor,
    catchUp,
    loadOlder,
    locate,
    send,
    retry,
    recall,
    remove,
    report: (id: string, reason: string) => transport.report({ id, reason }),
    edit,
    react,
    discard,
    restore,
    pause,
    resume,
    reset,
  };
}

/** A room's message state as components see it (refs unwrapped): the lobby store, or one DM room. */
export type RoomMessages = UnwrapNestedRefs<ReturnType<typeof createRoomMessages>>;
