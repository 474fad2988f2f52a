import { createHash, randomBytes } from 'node:crypto';
import { LIMITS, describeDuration, fail, ok, type Ack, type AckError, type MentionDto, type MessageDto, type MessagePage, type RoomEventDto, type UserDto } from '@confab/shared';
import type { FileStore, MessageStore, ReactionStore, StoredChange, StoredMessage } from '../store/ports.js';
import type { HistoryInput, SendMessageInput, SyncInput } from '../validated.js';
import { createSerialByKey } from '../serialByKey.js';
import { createAttachments } from './attachments.js';
import { createMessageViews } from './messageViews.js';

export interface SendResult {
  message: MessageDto;
  /** False for a retry of a message already stored: nothing should be broadcast. */
  isNew: boolean;
}

/** What a send stores besides its text: the original it replies to, its files, whom it mentions. */
export interface SendExtras {
  replyTo?: string;
  /** Ids of the sender's uploads, in the order the message shows them (see services/attachments.ts). */
  attachments?: readonly string[];
  /** Resolves the body's mentions among the room's members. */
  mentionsFor?: (body: string) => Promise<MentionDto[]>;
}

/** A change entry as stored and served, and whether this call stored it. */
interface ChangeResult {
  entry: MessageDto;
  isNew: boolean;
}

/**
 * What an edit or reaction did: `ack` is what the caller is answered (the entry of the change it
 * made; null when it changed nothing), `deliver` the entry every member must hear (null when none
 * was stored now). A repeat that stores a missing entry acks null and delivers it.
 */
export interface ChangeOutcome {
  ack: MessageDto | null;
  deliver: MessageDto | null;
}

/** An edit's entry key: one per edit time, so a retry finds or stores the same entry. */
function editKey(messageId: string, editedAt: string): string {
  return `edit:${messageId}:${Date.parse(editedAt)}`;
}

/** A reaction's entry key: one per stored reaction (message, emoji, time added), within 64 characters. */
function reactionKey(messageId: string, emoji: string, at: Date): string {
  return `reaction:${createHash('sha256').update(`${messageId}|${emoji}|${at.getTime()}`).digest('hex').slice(0, 40)}`;
}

/** Who may see the room a message is in (a message elsewhere is reported as not found). */
export type CanSee = (roomId: string) => boolean | Promise<boolean>;

export interface RecallResult {
  /** The recall entry in the room's stream: what to broadcast. */
  entry: MessageDto;
  /** False when the message was already recalled: nothing should be broadcast. */
  isNew: boolean;
}

export interface RemovalResult extends RecallResult {
  /** Whether this call erased the message (it may find the entry stored by a removal that failed before its erase). */
  isErasedNow: boolean;
}

/**
 * The last check before an operation writes (the caller's rate limit): a refusal, or null to go
 * on. It runs after every other check, so a refused operation spends nothing.
 */
export type Admit = () => Promise<{ ok: false; error: AckError } | null>;

const admitAll: Admit = async () => null;

/** Posting, recalling and reading messages in a room. Who may use which room is decided by the caller. */
export function createMessageService(deps: {
  messages: MessageStore;
  reactions: ReactionStore;
  /** Uploads, for attachments; without it a send that lists any is refused as naming no upload. */
  files?: FileStore;
  now: () => Date;
  recallWindowMs: number;
  /** How long an author may edit: null for ever, 0 never. */
  editWindowMs?: number | null;
  /** Most distinct emoji on one message. */
  reactionsPerMessageMax?: number;
  /** Whether a user's account is deactivated now, to mark their messages (`AuthorDto.deactivated`); none are without it. */
  isDeactivated?: (userId: string) => boolean;
}) {
  const views = createMessageViews(deps);
  const attachments = createAttachments(deps);
  const reactionsPerMessageMax = deps.reactionsPerMessageMax ?? LIMITS.reactionsPerMessageDefault;

  /**
   * The message an edit, reaction or reply names, if the caller may act on it: a message (not a
   * recall, change or event entry), not recalled, in a room the caller can see. Anything else is
   * one answer, so it reveals nothing.
   */
  async function liveMessage(messageId: string, canSee: CanSee, what: string): Promise<Ack<StoredMessage>> {
    const target = await deps.messages.findById(messageId);
    if (!target || target.recall || target.event || target.change || !(await canSee(target.roomId))) return fail('not_found', 'There is no such message.');
    if (target.recalledAt) return fail('not_found', `This message was recalled; it cannot be ${what}.`);
    return ok(target);
  }

  /**
   * Records a change of `target` in its room's stream under `clientId`, and returns the entry as
   * clients see it. The clientId is derived from the change itself (see editKey, reactionKey), so
   * a retry of a change whose entry the store failed to write finds the entry missing and writes
   * it, and one whose entry exists finds that (`isNew` false: nothing to broadcast).
   */
  async function recordChange(actor: UserDto, target: StoredMessage, change: Omit<StoredChange, 'messageId' | 'seq'>, clientId: string): Promise<ChangeResult> {
    const { message, isNew } = await deps.messages.append({
      roomId: target.roomId,
      clientId,
      author: { id: actor.id, name: actor.displayName },
      body: '',
      createdAt: deps.now(),
      change: { ...change, messageId: target.id, seq: target.seq },
    });
    // Read after the append: the newest change entry carries every change before it.
    return { entry: await views.one(message), isNew };
  }

  async function send(
    author: UserDto,
    roomId: string,
    input: Pick<SendMessageInput, 'clientId' | 'body'> & SendExtras,
    admit: Admit = admitAll,
    options: { countAuthors?: boolean } = {},
  ): Promise<Ack<SendResult>> {
    let replyTo: { messageId: string; seq: number } | undefined;
    let original: StoredMessage | undefined;
    if (input.replyTo) {
      const found = await liveMessage(input.replyTo, (id) => id === roomId, 'replied to');
      if (!found.ok) {
        // A retry of a reply stored before its original was recalled is still that reply.
        const stored = await deps.messages.findByClientId(author.id, input.clientId);
        if (stored?.roomId === roomId) return ok({ message: await views.one(await attachments.settleRetry(stored)), isNew: false });
        return fail('not_found', 'The message you reply to does not exist in this room or was recalled.', { field: 'replyTo' });
      }
      original = found.data;
      replyTo = { messageId: original.id, seq: original.seq };
    }
    // The files are claimed before the rate limit, which stays the last check (see Admit).
    const stored = await attachments.store({ authorId: author.id, clientId: input.clientId, roomId }, input.attachments ?? [], async (files) => {
      const refused = await admit();
      if (refused) return refused;
      const mentions = input.mentionsFor ? await input.mentionsFor(input.body) : [];
      // The append is also the clientId check: a key used in another room stores nothing.
      const result = await deps.messages.append({
        roomId,
        clientId: input.clientId,
        // The author is always the signed-in user; payloads cannot name one.
        author: { id: author.id, name: author.displayName },
        body: input.body,
        createdAt: deps.now(),
        ...(replyTo ? { replyTo } : {}),
        ...(mentions.length > 0 ? { mentions } : {}),
        ...(files.length > 0 ? { attachments: files } : {}),
        ...(options.countAuthors ? { countAuthors: true } : {}),
      });
      // The key is per author across rooms; a repeat must come from the same room to be a retry.
      if (result.message.roomId !== roomId) {
        return fail('invalid_payload', 'This clientId was already used for another message; send with a new clientId.', { field: 'clientId' });
      }
      return ok(result);
    });
    if (!stored.ok) return stored;
    const { message, isNew } = stored.data;
    return ok({ message: await views.one(message, { fresh: isNew, known: original ? [original] : [] }), isNew });
  }

  /**
   * Replaces the text of the author's message, then records an `edit` change entry. Sending the
   * text it already has changes nothing (null); if that text came from an edit whose entry was
   * never stored (the store failed between the two writes), the entry is stored now.
   */
  async function edit(
    user: UserDto,
    messageId: string,
    body: string,
    canSee: CanSee,
    mentionsFor: (roomId: string, body: string) => Promise<MentionDto[]>,
    admit: Admit = admitAll,
  ): Promise<Ack<ChangeOutcome>> {
    const found = await liveMessage(messageId, canSee, 'edited');
    if (!found.ok) return found;
    const target = found.data;
    if (target.author.id !== user.id) return fail('forbidden', 'Only the author can edit a message.');
    if (target.body === body) {
      if (!target.editedAt) return ok({ ack: null, deliver: null });
      const repaired = await recordChange(user, target, { type: 'edit' }, editKey(target.id, target.editedAt));
      return ok({ ack: null, deliver: repaired.isNew ? repaired.entry : null });
    }
    // Read per edit: an admin changes it live (app.ts passes getters).
    const editWindowMs = deps.editWindowMs ?? null;
    if (editWindowMs === 0) return fail('edit_window_expired', 'Editing messages is switched off on this server.');
    if (editWindowMs !== null && deps.now().getTime() - Date.parse(target.createdAt) > editWindowMs) {
      return fail('edit_window_expired', `Messages can only be edited within ${describeDuration(editWindowMs)} of sending.`);
    }
    const refused = await admit();
    if (refused) return refused;
    const edited = await deps.messages.edit(target.id, { body, mentions: await mentionsFor(target.roomId, body), editedAt: deps.now() });
    if (!edited?.editedAt || edited.recalledAt) return fail('not_found', 'This message was recalled; it cannot be edited.');
    let recorded = await recordChange(user, edited, { type: 'edit' }, editKey(edited.id, edited.editedAt));
    // Another edit of this message in the same millisecond took the key: this one needs its own entry.
    if (!recorded.isNew) recorded = await recordChange(user, edited, { type: 'edit' }, `edit:${edited.id}:${randomBytes(8).toString('hex')}`);
    return ok({ ack: recorded.entry, deliver: recorded.entry });
  }

  /**
   * Adds or takes back the user's reaction, then records a `reaction` change entry. One the user
   * already has (or does not have, to take back) changes nothing (ack null): two tabs adding the
   * same reaction at once store it once, one of them acks the entry, and it is broadcast once. A
   * repeated add also stores the entry of the add that stored the reaction if it is missing.
   */
  async function react(user: UserDto, messageId: string, emoji: string, added: boolean, canSee: CanSee, admit: Admit = admitAll): Promise<Ack<ChangeOutcome>> {
    const found = await liveMessage(messageId, canSee, added ? 'reacted to' : 'changed');
    if (!found.ok) return found;
    const target = found.data;
    const change = { type: 'reaction' as const, emoji, added };
    if (!added) {
      const refused = await admit();
      if (refused) return refused;
      if (!(await deps.reactions.remove(target.id, user.id, emoji))) return ok({ ack: null, deliver: null });
      const { entry } = await recordChange(user, target, change, `reaction:${randomBytes(12).toString('hex')}`);
      return ok({ ack: entry, deliver: entry });
    }
    // Adds to one message are taken one at a time here, so two new emoji at its limit cannot both
    // pass the count; between instances, the check after the insert settles it.
    return addingTo(target.id, async () => {
      const emojis = await deps.reactions.emojiOf(target.id);
      const isNewEmoji = !emojis.includes(emoji);
      if (isNewEmoji && emojis.length >= reactionsPerMessageMax) return tooManyEmoji();
      const refused = await admit();
      if (refused) return refused;
      const at = reactionTime();
      if (!(await deps.reactions.add({ messageId: target.id, roomId: target.roomId, user: { id: user.id, name: user.displayName }, emoji, at }))) {
        const since = await deps.reactions.addedAt(target.id, user.id, emoji);
        if (!since) return ok({ ack: null, deliver: null });
        const repaired = await recordChange(user, target, change, reactionKey(target.id, emoji, since));
        return ok({ ack: null, deliver: repaired.isNew ? repaired.entry : null });
      }
      // Two instances adding new emoji at once to a message one short of the limit both pass the
      // check above: the one used later (by time, then insertion) takes itself back.
      if (isNewEmoji) {
        const order = ((await deps.reactions.of([target.id])).get(target.id) ?? []).map((r) => r.emoji);
        if (order.indexOf(emoji) >= reactionsPerMessageMax) {
          await deps.reactions.remove(target.id, user.id, emoji);
          return tooManyEmoji();
        }
      }
      const recorded = await recordChange(user, target, change, reactionKey(target.id, emoji, at));
      return ok({ ack: recorded.entry, deliver: recorded.isNew ? recorded.entry : null });
    });
  }

  /**
   * The time a reaction is stored with: the clock, but always after the last one this instance
   * stored, so that no two reactions of one message, emoji and user (added, taken back, added)
   * share a time and so an entry key (reactionKey).
   */
  let lastReactionAt = 0;
  const addingTo = createSerialByKey();
  function reactionTime(): Date {
    lastReactionAt = Math.max(deps.now().getTime(), lastReactionAt + 1);
    return new Date(lastReactionAt);
  }

  function tooManyEmoji() {
    return fail('limit_reached', `A message can carry at most ${reactionsPerMessageMax} different reactions.`);
  }

  /**
   * Records a change to the room (a join, a rename…) as an entry of its stream. Its clientId holds
   * a ':', which clients may not send, so it can never collide with a message's.
   */
  async function recordEvent(actor: UserDto, roomId: string, event: RoomEventDto): Promise<MessageDto> {
    const { message } = await deps.messages.append({
      roomId,
      clientId: `event:${randomBytes(12).toString('hex')}`,
      author: { id: actor.id, name: actor.displayName },
      body: '',
      createdAt: deps.now(),
      event,
    });
    return views.one(message);
  }

  async function history(roomId: string, input: Pick<HistoryInput, 'beforeSeq' | 'limit'>): Promise<Ack<MessagePage>> {
    return ok(await views.page(await deps.messages.history(roomId, { beforeSeq: input.beforeSeq, limit: input.limit })));
  }

  async function sync(roomId: string, input: Pick<SyncInput, 'afterSeq'>): Promise<Ack<MessagePage>> {
    return ok(await views.page(await deps.messages.since(roomId, { afterSeq: input.afterSeq, limit: LIMITS.syncPageMax })));
  }

  /** The room's newest entry a preview shows (not a change entry), as clients see it. */
  async function newestShown(roomId: string): Promise<MessageDto | null> {
    const entry = await deps.messages.newestShown(roomId);
    return entry ? views.one(entry) : null;
  }

  /**
   * Recalls the author's message: erases its body, then records a recall entry in the room's
   * stream so every client, live or catching up, learns of it in order. Idempotent: the entry's
   * clientId is derived from the message, so a repeat (or a retry after a failure between the
   * two writes) finds the same entry. The ':' in it is outside what clients may send as a
   * clientId, so no message of the author's can take the entry's place.
   */
  async function recall(
    user: UserDto,
    messageId: string,
    canSee: CanSee,
    admit: Admit = admitAll,
  ): Promise<Ack<RecallResult>> {
    const target = await deps.messages.findById(messageId);
    // A message in a room the caller cannot see is reported exactly like a missing one.
    if (!target || target.recall || target.event || target.change || !(await canSee(target.roomId))) return fail('not_found', 'There is no such message.');
    if (target.author.id !== user.id) return fail('forbidden', 'Only the author can recall a message.');
    const age = deps.now().getTime() - Date.parse(target.createdAt);
    if (!target.recalledAt && age > deps.recallWindowMs) {
      if (deps.recallWindowMs === 0) return fail('recall_window_expired', 'Recalling messages is switched off on this server.');
      return fail('recall_window_expired', `Messages can only be recalled within ${describeDuration(deps.recallWindowMs)} of sending.`);
    }
    const refused = await admit();
    if (refused) return refused;
    // One time for both: a client applying the entry takes its createdAt as the recalledAt that history shows.
    const at = deps.now();
    // Before the erase, which forgets the message's files: a recall the store fails halfway
    // through is retried by its author and must still find them. Until the erase, a member may see
    // a file the recall has already removed (it answers 404), which is the recall's intent anyway.
    await attachments.remove(target.attachments ?? []);
    await deps.messages.erase(target.id, at);
    const { message, isNew } = await deps.messages.append({
      roomId: target.roomId,
      clientId: `recall:${target.id}`,
      author: { id: user.id, name: user.displayName },
      body: '',
      createdAt: at,
      recall: { messageId: target.id, seq: target.seq },
    });
    return ok({ entry: await views.one(message, { known: [target] }), isNew });
  }

  /**
   * A moderator's removal of `target` (a message, not an entry of another kind; who may is the
   * caller's to decide): a recall by someone else, at any time. The removal entry is recorded
   * under the clientId and the author a recall by the message's author takes, so the store's
   * `(author, clientId)` key keeps one entry per message whoever recalls or removes it, racing
   * or repeating (and members are not told which moderator it was); then its files are deleted
   * and it is erased as removed by a moderator.
   *
   * The entry comes first, unlike a recall's: a removal that fails between the two leaves the
   * message not erased, which a retry finds and finishes (a ban's retry walks the author's
   * messages that are not erased, MessageStore.authoredBy), whereas one erased without its entry
   * would be out of a ban's reach. Clients are told only once both are stored.
   */
  async function remove(target: StoredMessage): Promise<RemovalResult> {
    const at = target.recalledAt ? new Date(target.recalledAt) : deps.now();
    // An earlier erase by the author (a recall that failed before its entry) stays their recall.
    const isRemoval = !target.recalledAt || target.removedByModerator === true;
    const { message, isNew } = await deps.messages.append({
      roomId: target.roomId,
      clientId: `recall:${target.id}`,
      author: { id: target.author.id, name: target.author.name },
      body: '',
      createdAt: at,
      recall: { messageId: target.id, seq: target.seq, ...(isRemoval ? { byModerator: true as const } : {}) },
    });
    const isErasedNow = !target.recalledAt;
    if (isErasedNow) {
      await attachments.remove(target.attachments ?? []);
      await deps.messages.erase(target.id, at, { byModerator: true });
    }
    const erased: StoredMessage = { ...target, body: '', recalledAt: at.toISOString(), ...(isRemoval ? { removedByModerator: true as const } : {}) };
    return { entry: await views.one(message, { known: [erased] }), isNew, isErasedNow };
  }

  return { send, edit, react, recall, remove, recordEvent, history, sync, newestShown, views };
}

export type MessageService = ReturnType<typeof createMessageService>;
