import type { AttachmentDto } from '@confab/shared';
import type { ReplyRef } from './messageChanges';
import type { OutboxItem, SendError } from './messages';
import { clearStoredDrafts } from './draftStorage';
import { localStore, readJson, writeJson } from './localStore';

/**
 * Each user's unsent messages, kept in localStorage under their own key so that they survive a
 * reload, a crash and an ended session, and are only ever sent again when that same user is
 * signed in. Tabs of one user share the key; each writes only the items it changed, so one tab
 * never drops another's.
 */
const PREFIX = 'confab:outbox:';
const VERSION = 1;

/** One unsent message as stored: what it takes to send it again under its original clientId. */
export interface StoredOutboxItem {
  clientId: string;
  roomId: string;
  body: string;
  createdAt: string;
  status: OutboxItem['status'];
  error?: SendError;
  /** The message it replies to: id, seq and author only, never its text (which may be edited or recalled meanwhile). */
  replyTo?: ReplyRef;
  /** The uploaded files it carries, as their uploads answered: the send names them by id. */
  attachments?: AttachmentDto[];
}

/** How one room's outbox is kept: loaded when its user signs in, updated item by item. */
export interface OutboxPersistence {
  load(userId: string): OutboxItem[];
  save(userId: string, item: OutboxItem): void;
  remove(userId: string, clientIds: readonly string[]): void;
}

const keyOf = (userId: string) => `${PREFIX}${userId}`;

function isStoredItem(value: unknown): value is StoredOutboxItem {
  const v = value as Partial<StoredOutboxItem> | null;
  return (
    typeof v === 'object' && v !== null &&
    typeof v.clientId === 'string' && typeof v.roomId === 'string' && typeof v.body === 'string' &&
    typeof v.createdAt === 'string' && (v.status === 'pending' || v.status === 'failed') &&
    // Sent without its files, a message would say less than its author wrote: such an item is not taken back.
    (v.attachments === undefined || attachmentsOf(v.attachments) !== null)
  );
}

/**
 * The reference a kept reply names, if it has the shape this app writes. An excerpt an earlier
 * version kept beside it is dropped: the quote is built from the original when shown.
 */
function replyRefOf(value: unknown): ReplyRef | null {
  const v = value as Partial<ReplyRef> | null;
  if (typeof v !== 'object' || v === null || typeof v.messageId !== 'string' || typeof v.seq !== 'number') return null;
  if (typeof v.author?.id !== 'string' || typeof v.author.name !== 'string') return null;
  return { messageId: v.messageId, seq: v.seq, author: { id: v.author.id, name: v.author.name } };
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** The attachment a kept message names, with only the fields this app writes, if it has their shape. */
function attachmentOf(value: unknown): AttachmentDto | null {
  const v = value as Partial<AttachmentDto> | null;
  if (typeof v !== 'object' || v === null || typeof v.id !== 'string' || typeof v.name !== 'string' || typeof v.contentType !== 'string') return null;
  if (!isCount(v.size) || (v.kind !== 'image' && v.kind !== 'file')) return null;
  const { width, height, thumbnail } = v;
  return {
    id: v.id,
    name: v.name,
    contentType: v.contentType,
    size: v.size,
    kind: v.kind,
    ...(isCount(width) && isCount(height) ? { width, height } : {}),
    ...(isCount(thumbnail?.width) && isCount(thumbnail.height) ? { thumbnail: { width: thumbnail.width, height: thumbnail.height } } : {}),
  };
}

/** A kept message's attachments; absent (null) when it has none or one of them is not what this app wrote. */
function attachmentsOf(value: unknown): AttachmentDto[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const files = value.map(attachmentOf);
  return files.every((file) => file !== null) ? (files as AttachmentDto[]) : null;
}

function readItems(storage: Storage, userId: string): StoredOutboxItem[] {
  const data = readJson(storage, keyOf(userId)) as { v?: unknown; items?: unknown } | null;
  if (data?.v !== VERSION || !Array.isArray(data.items)) return [];
  return data.items.filter(isStoredItem);
}

function writeItems(storage: Storage, userId: string, items: StoredOutboxItem[]): void {
  if (items.length === 0) storage.removeItem(keyOf(userId));
  // A full storage gives up this user's kept drafts for their messages: a draft is still in its
  // composer while the tab is open, and the composer keeps it again, while a message is only here.
  else if (!writeJson(storage, keyOf(userId), { v: VERSION, items })) {
    clearStoredDrafts(userId);
    writeJson(storage, keyOf(userId), { v: VERSION, items });
  }
}

/** Reads, changes and writes one user's list, if the browser lets us. */
function change(userId: string, edit: (items: StoredOutboxItem[]) => StoredOutboxItem[]): void {
  const storage = localStore();
  if (storage) writeItems(storage, userId, edit(readItems(storage, userId)));
}

/** The persistence of one room's outbox. */
export function roomOutboxStorage(roomId: string): OutboxPersistence {
  return {
    load(userId) {
      const storage = localStore();
      if (!storage) return [];
      return readItems(storage, userId)
        .filter((item) => item.roomId === roomId)
        .map(({ clientId, body, createdAt, status, error, replyTo, attachments }) => {
          const ref = replyRefOf(replyTo);
          const files = attachmentsOf(attachments);
          return { clientId, body, createdAt, status, ...(error ? { error } : {}), ...(ref ? { replyTo: ref } : {}), ...(files ? { attachments: files } : {}) };
        });
    },
    save(userId, item) {
      // Only the reference, even if handed a full quote: a kept excerpt would go stale.
      const ref = replyRefOf(item.replyTo);
      const files = attachmentsOf(item.attachments);
      const stored: StoredOutboxItem = {
        clientId: item.clientId,
        roomId,
        body: item.body,
        createdAt: item.createdAt,
        status: item.status,
        ...(item.error ? { error: item.error } : {}),
        ...(ref ? { replyTo: ref } : {}),
        ...(files ? { attachments: files } : {}),
      };
      change(userId, (items) => {
        const index = items.findIndex((i) => i.clientId === item.clientId);
        return index === -1 ? [...items, stored] : items.map((i, n) => (n === index ? stored : i));
      });
    },
    remove(userId, clientIds) {
      const gone = new Set(clientIds);
      change(userId, (items) => items.filter((i) => !gone.has(i.clientId)));
    },
  };
}

/** Writes to `persistence` what changed between two versions of a room's outbox: added, settled, failed, retried. */
export function saveOutboxChanges(persistence: OutboxPersistence, userId: string, previous: readonly OutboxItem[], next: readonly OutboxItem[]): void {
  const before = new Map(previous.map((item) => [item.clientId, item]));
  const kept = new Set(next.map((item) => item.clientId));
  const gone = previous.filter((item) => !kept.has(item.clientId)).map((item) => item.clientId);
  if (gone.length > 0) persistence.remove(userId, gone);
  for (const item of next) {
    const old = before.get(item.clientId);
    // A hold (heldUntil) is this tab's business; only what matters after a reload is written.
    if (!old || old.status !== item.status || old.error !== item.error) persistence.save(userId, item);
  }
}

/** The rooms in which `userId` has unsent messages kept in this browser. */
export function roomsWithStoredOutbox(userId: string): string[] {
  const storage = localStore();
  return storage ? [...new Set(readItems(storage, userId).map((i) => i.roomId))] : [];
}

/** How many unsent messages `userId` has kept in this browser (for the sign-out question). */
export function storedOutboxCount(userId: string): number {
  const storage = localStore();
  return storage ? readItems(storage, userId).length : 0;
}

/** Deletes `userId`'s unsent messages from this browser (on an explicit sign-out). */
export function clearStoredOutbox(userId: string): void {
  localStore()?.removeItem(keyOf(userId));
}
