import { LIMITS } from '@confab/shared';
import { keysWithPrefix, localStore, readJson, writeJson } from './localStore';

/**
 * What each user has typed but not sent, per room, kept in localStorage so that it survives
 * switching rooms and reloading. One key per draft keeps a keystroke's write small.
 */
const PREFIX = 'confab:draft:';

/** Drafts kept per user; saving one more drops the least recently touched. */
export const MAX_DRAFTS = 50;
/** Longest draft kept: room to trim an over-long paste, not a place to store documents. */
export const MAX_DRAFT_LENGTH = LIMITS.bodyMaxLength * 2;

interface StoredDraft {
  text: string;
  /** When it was last written (epoch ms), to know which to drop first. */
  at: number;
}

const userPrefix = (userId: string) => `${PREFIX}${userId}:`;
const keyOf = (userId: string, roomId: string) => `${userPrefix(userId)}${roomId}`;

function readDraft(storage: Storage, key: string): StoredDraft | null {
  const value = readJson(storage, key) as Partial<StoredDraft> | null;
  return typeof value?.text === 'string' && typeof value.at === 'number' ? (value as StoredDraft) : null;
}

/** The draft `userId` left in `roomId`, or ''. */
export function loadDraft(userId: string, roomId: string): string {
  const storage = localStore();
  return (storage && readDraft(storage, keyOf(userId, roomId))?.text) ?? '';
}

/** Keeps `text` as the draft of `roomId`; a blank one is deleted. */
export function saveDraft(userId: string, roomId: string, text: string, now = Date.now()): void {
  const storage = localStore();
  if (!storage) return;
  const key = keyOf(userId, roomId);
  if (text.trim() === '') {
    storage.removeItem(key);
    return;
  }
  const isNew = storage.getItem(key) === null;
  writeJson(storage, key, { text: cut(text, MAX_DRAFT_LENGTH), at: now } satisfies StoredDraft);
  if (isNew) dropOldest(storage, userId);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** At most `max` UTF-16 units of `text`, cut between whole characters (never inside an emoji). */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of segmenter.segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

function dropOldest(storage: Storage, userId: string): void {
  const drafts = keysWithPrefix(storage, userPrefix(userId)).map((key) => ({ key, at: readDraft(storage, key)?.at ?? 0 }));
  if (drafts.length <= MAX_DRAFTS) return;
  drafts.sort((a, b) => a.at - b.at);
  for (const { key } of drafts.slice(0, drafts.length - MAX_DRAFTS)) storage.removeItem(key);
}

/** Deletes every draft of `userId` in this browser (on an explicit sign-out). */
export function clearStoredDrafts(userId: string): void {
  const storage = localStore();
  if (!storage) return;
  for (const key of keysWithPrefix(storage, userPrefix(userId))) storage.removeItem(key);
}
