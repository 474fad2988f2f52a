import { excerpt, LIMITS, type MessageDto, type MessageStateDto, type ReplyQuoteDto } from '@confab/shared';

/** What a pending reply keeps of the message it answers: never its text, which may change. */
export type ReplyRef = Pick<ReplyQuoteDto, 'messageId' | 'seq' | 'author'>;

/** The newest state this client knows of one message, and the seq of the entry it came from. */
export interface KnownState {
  /**
   * Seq of the change or recall entry that carried it; for a copy of the message served in a
   * history or sync page, the seq that page is current as of; Infinity for a recall read off the
   * message itself.
   */
  seq: number;
  state: MessageStateDto;
  /** Read off a served copy of the message, not a change entry: it wins a tie with an entry. */
  isCopy?: boolean;
}

/** Message id → its newest known state. */
export type KnownStates = ReadonlyMap<string, KnownState>;

/**
 * A stream entry that changes another message (a recall, an edit, a reaction): it occupies a seq,
 * so gap tracking counts it, but it is never a row of its own and never unread.
 */
export function isChangeEntry(message: MessageDto): boolean {
  return message.recall !== undefined || message.change !== undefined;
}

/** A moderator's removal: its entry (`recall.byModerator`), or a message served already removed. */
export function isRemoval(message: MessageDto): boolean {
  return message.recall?.byModerator === true || message.removedByModerator === true;
}

const isRecalled = (known: KnownState | undefined) => known?.state.recalledAt !== undefined;

/** A message's changeable fields as it carries them. */
function stateOf(m: MessageDto): MessageStateDto {
  return {
    body: m.body,
    ...(m.editedAt !== undefined ? { editedAt: m.editedAt } : {}),
    ...(m.mentions ? { mentions: m.mentions } : {}),
    ...(m.reactions ? { reactions: m.reactions } : {}),
  };
}

/** The erased state a recall leaves, or a moderator's removal (told apart: the tombstones differ). */
function erased(recalledAt: string, byModerator: boolean | undefined): MessageStateDto {
  return byModerator ? { body: '', recalledAt, removedByModerator: true } : { body: '', recalledAt };
}

/** What one incoming entry says about some message's state, if anything. */
function stateFrom(m: MessageDto, asOfSeq: number | undefined): [string, KnownState] | null {
  if (m.change) return [m.change.messageId, { seq: m.seq, state: m.change.state }];
  // A removal by a moderator is a recall entry with `byModerator`: it applies the same way.
  if (m.recall) return [m.recall.messageId, { seq: m.seq, state: erased(m.createdAt, m.recall.byModerator) }];
  // History or sync may hand back a message already erased, its recall entry out of reach.
  if (m.recalledAt) return [m.id, { seq: Number.POSITIVE_INFINITY, state: erased(m.recalledAt, m.removedByModerator) }];
  // A served copy is current as of its page: no entry at or below that seq may take it back.
  if (asOfSeq !== undefined && !m.event) return [m.id, { seq: asOfSeq, state: stateOf(m), isCopy: true }];
  return null;
}

/**
 * Whether `candidate` replaces `held`: a later entry does, and a recall always does (it is final).
 * A moderator's removal also replaces a plain recall: a change entry whose target was removed
 * may read only as recalled, but a message that was removed was never recalled by its author.
 */
function supersedes(candidate: KnownState, held: KnownState | undefined): boolean {
  if (!held) return true;
  if (isRecalled(held)) return !!candidate.state.removedByModerator && !held.state.removedByModerator;
  if (isRecalled(candidate)) return true;
  return candidate.isCopy ? candidate.seq >= held.seq : candidate.seq > held.seq;
}

/**
 * `known` with what `incoming` reveals: each change or recall entry names its target, whether or
 * not the target is held, so that an entry arriving before its target still applies once the
 * target does. Entries apply in seq order whatever order they arrive in.
 *
 * `asOfSeq` is given for a history or sync page: the server read its messages when it served the
 * page, after every entry up to that seq was stored, so each message in it counts as a state at
 * that seq. An older change entry (arriving later, or held from before) then never overwrites the
 * fresher copy. Returns `known` itself when nothing is new.
 */
export function collectStates(known: KnownStates, incoming: readonly MessageDto[], asOfSeq?: number): Map<string, KnownState> {
  let next: Map<string, KnownState> | null = null;
  for (const m of incoming) {
    const found = stateFrom(m, asOfSeq);
    if (!found) continue;
    const [id, candidate] = found;
    if (!supersedes(candidate, (next ?? known).get(id))) continue;
    next ??= new Map(known);
    next.set(id, candidate);
  }
  return next ?? (known as Map<string, KnownState>);
}

/**
 * The message with its changeable fields replaced by `state` (fields absent from it are cleared).
 * Attachments stay through edits and reactions and go with a recall, as on the server.
 */
function withState(m: MessageDto, state: MessageStateDto): MessageDto {
  const { editedAt: _e, recalledAt: _r, removedByModerator: _d, mentions: _m, reactions: _x, body: _b, attachments, ...rest } = m;
  const next: MessageDto = { ...rest, body: state.body };
  if (state.editedAt !== undefined) next.editedAt = state.editedAt;
  if (state.recalledAt !== undefined) {
    next.recalledAt = state.recalledAt;
    if (state.removedByModerator) next.removedByModerator = true;
  } else if (attachments?.length) next.attachments = attachments;
  if (state.mentions?.length) next.mentions = state.mentions;
  if (state.reactions?.length) next.reactions = state.reactions;
  return next;
}

/**
 * A reply's quote as the original's state now reads: its new text, or recalled. An original with
 * no text (only files) reads as its files when they are known, else keeps the quote's excerpt.
 */
function quoteWithState(quote: ReplyRef & Partial<Pick<ReplyQuoteDto, 'excerpt' | 'attachments'>>, state: Pick<MessageDto, 'body' | 'recalledAt' | 'removedByModerator' | 'attachments'>): ReplyQuoteDto {
  const { messageId, seq, author } = quote;
  if (state.recalledAt !== undefined) return { messageId, seq, author, excerpt: '', recalled: true, ...(state.removedByModerator ? { removedByModerator: true as const } : {}) };
  // A change entry's state carries no files (edits and reactions keep them): the quote's stay.
  const files = state.attachments ?? quote.attachments;
  const text = state.body !== '' ? excerpt(state.body, LIMITS.replyExcerptGraphemes) : files?.length ? '' : (quote.excerpt ?? '');
  return { messageId, seq, author, excerpt: text, ...(files?.length ? { attachments: files.map(({ name, kind }) => ({ name, kind })) } : {}) };
}

/**
 * The quote a pending reply shows of `ref`, built when it is shown: from the original as held
 * (already brought up to date), else from its newest known state; recalled once it is. An
 * original neither held nor known gives an empty excerpt.
 */
export function quoteOf(ref: ReplyRef, messages: readonly MessageDto[], known: KnownStates): ReplyQuoteDto {
  const knownState = known.get(ref.messageId)?.state;
  if (knownState?.recalledAt !== undefined) return quoteWithState(ref, knownState);
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]!.id === ref.messageId) return quoteWithState(ref, messages[i]!);
  }
  return quoteWithState(ref, knownState ?? { body: '' });
}

// Which known states a message object already shows (its own, its quote's), so that applying
// the same map again costs a lookup per message and allocates nothing.
const shown = new WeakMap<MessageDto, readonly [KnownState | undefined, KnownState | undefined]>();

/**
 * Every held message that `known` names, with that state; every held reply whose original it
 * names, with its quote brought up to date. Runs after every merge, since an entry may arrive
 * before or after its target. Returns `messages` itself when nothing changed.
 */
export function applyStates(messages: readonly MessageDto[], known: KnownStates): MessageDto[] {
  if (known.size === 0) return messages as MessageDto[];
  let changed = false;
  const next = messages.map((m) => {
    if (isChangeEntry(m) || m.event) return m;
    const own = known.get(m.id);
    const quoted = m.replyTo ? known.get(m.replyTo.messageId) : undefined;
    if (!own && !quoted) return m;
    const applied = shown.get(m);
    if (applied && applied[0] === own && applied[1] === quoted) return m;
    let updated = own ? withState(m, own.state) : m;
    if (quoted && updated.replyTo) updated = { ...updated, replyTo: quoteWithState(updated.replyTo, quoted.state) };
    shown.set(updated, [own, quoted]);
    changed = true;
    return updated;
  });
  return changed ? next : (messages as MessageDto[]);
}
