import type { AckError, AttachmentDto, MessageDto } from '@confab/shared';
import type { ClientWording } from '../i18n/errors';
import type { ReplyRef } from './messageChanges';

/** Why a send has not (yet) been acked: a server refusal, or one of the two transport failures. */
export type SendError = Omit<AckError, 'code'> & { code: AckError['code'] | 'timeout' | 'disconnected'; wording?: ClientWording };

/** A message this client sent that the server has not acknowledged yet. */
export interface OutboxItem {
  clientId: string;
  body: string;
  /** Local time of the first attempt; shown until the server's own time replaces it. */
  createdAt: string;
  status: 'pending' | 'failed';
  error?: SendError;
  /** While pending: the server asked us to slow down; when the send goes out again (epoch ms). */
  heldUntil?: number;
  /**
   * The message it replies to (sent as `replyTo`: its messageId). Never its text: the quote is
   * built when shown, from the original as it is then.
   */
  replyTo?: ReplyRef;
  /**
   * The uploaded files it carries (sent as `attachments`: their ids), as their uploads answered,
   * so that a pending row can show them; absent when none.
   */
  attachments?: AttachmentDto[];
}

/**
 * Merges `incoming` into `existing` (both ascending by seq), dropping duplicates by id and by seq.
 * Returns `existing` itself when nothing is new, so callers can skip a reactive write.
 */
export function mergeMessages(existing: readonly MessageDto[], incoming: readonly MessageDto[]): MessageDto[] {
  if (incoming.length === 0) return existing as MessageDto[];
  const last = existing.at(-1);
  const isAppendOnly = !last || incoming.every((m) => m.seq > last.seq);
  if (isAppendOnly) {
    const fresh = dedupeSorted(incoming);
    return fresh.length === 0 ? (existing as MessageDto[]) : [...existing, ...fresh];
  }
  const seenIds = new Set(existing.map((m) => m.id));
  const seenSeqs = new Set(existing.map((m) => m.seq));
  const fresh = incoming.filter((m) => {
    if (seenIds.has(m.id) || seenSeqs.has(m.seq)) return false;
    seenIds.add(m.id);
    seenSeqs.add(m.seq);
    return true;
  });
  if (fresh.length === 0) return existing as MessageDto[];
  return [...existing, ...fresh].sort((a, b) => a.seq - b.seq);
}

function dedupeSorted(messages: readonly MessageDto[]): MessageDto[] {
  const sorted = [...messages].sort((a, b) => a.seq - b.seq);
  return sorted.filter((m, i) => i === 0 || m.seq !== sorted[i - 1]!.seq);
}

/**
 * The highest seq up to which the list has no holes, starting from `from`. Catch-up asks the
 * server for what follows it, so a live message that arrived ahead of a gap cannot hide the gap.
 */
export function contiguousSeq(messages: readonly MessageDto[], from: number): number {
  let seq = from;
  for (const m of messages) {
    if (m.seq <= seq) continue;
    if (m.seq !== seq + 1) break;
    seq = m.seq;
  }
  return seq;
}

/** Removes the outbox entry a stored message settles, if it is one of ours. */
export function settleOutbox(outbox: readonly OutboxItem[], message: MessageDto, myId: string | undefined): OutboxItem[] {
  if (message.author.id !== myId) return outbox as OutboxItem[];
  const index = outbox.findIndex((item) => item.clientId === message.clientId);
  if (index === -1) return outbox as OutboxItem[];
  return [...outbox.slice(0, index), ...outbox.slice(index + 1)];
}

/** Transport failures and server-side hiccups are worth retrying on their own; refusals are not. */
export function isRetryable(error: SendError | undefined): boolean {
  if (!error) return true;
  return ['timeout', 'disconnected', 'rate_limited', 'unavailable', 'internal'].includes(error.code);
}

/** A random idempotency key. `crypto.randomUUID` needs a secure context; self-hosters may serve plain http. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
