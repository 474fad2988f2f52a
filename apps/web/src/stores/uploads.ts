import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { INLINE_IMAGE_TYPES, LIMITS, bodyLength, type AttachmentDto } from '@confab/shared';
import { t } from '../i18n';
import type { ShownError } from '../i18n/errors';
import { saveDraft } from '../lib/draftStorage';
import { formatSize } from '../lib/format';
import type { ReplyRef } from '../lib/messageChanges';
import type { RoomMessages } from '../lib/roomMessages';
import { uploadFile } from '../services/uploads';
import { useSessionStore } from './session';
import { useSettingsStore } from './settings';

/** Uploads running at once, across rooms: the rest wait their turn (browsers open about six connections per server). */
export const PARALLEL_UPLOADS = 3;

export type PendingStatus = 'queued' | 'uploading' | 'done' | 'failed';

/** A file chosen for the next message of a room, on its way to the server or there. */
export interface PendingAttachment {
  key: string;
  /** The name the file had on the user's device (the server keeps a normalised one: `file.name`). */
  name: string;
  size: number;
  /** What the browser says the file is (for the chip's icon only; the server decides from the bytes). */
  contentType: string;
  /** A `blob:` URL of an image, revoked when the chip goes. */
  previewUrl: string | null;
  status: PendingStatus;
  /** Request bytes sent so far, of `total`. */
  loaded: number;
  total: number;
  /** The stored file, once uploaded. */
  file: AttachmentDto | null;
  /** Why it failed: the server's error, or that the server could not be reached (shown with errorText). */
  error: ShownError | null;
}

/** What a room's composer sends once every upload finished. */
interface WaitingSend {
  room: RoomMessages;
  body: string;
  replyTo?: ReplyRef;
}

/**
 * Why chosen files were not added, or why the message did not go: the facts, put in words by
 * {@link noticeText} when shown, so that they follow a change of language.
 */
export type UploadNotice =
  | { kind: 'refused'; tooLarge: readonly { name: string; size: number }[]; maxBytes: number; tooMany: readonly string[] }
  /** `isSendStopped`: a message waited for this file and did not go. */
  | { kind: 'failed'; name: string; isSendStopped: boolean }
  | { kind: 'notSendable' };

export interface RoomUploads {
  items: PendingAttachment[];
  waiting: WaitingSend | null;
  /** Why chosen files were not added, or why the message did not go; cleared by the next action. */
  notice: UploadNotice | null;
  /** Bumped each time this room's message went with its files: the composer then clears its text. */
  sends: number;
}

export type SendOutcome = 'sent' | 'waiting' | 'blocked';

const EMPTY: Readonly<RoomUploads> = Object.freeze({ items: [], waiting: null, notice: null, sends: 0 });
const MAX = LIMITS.attachmentsPerMessageMax;

/**
 * The files attached to each room's next message: chosen with the Attach button, pasted or
 * dropped, uploaded at once (a few at a time), and sent with the message once all are stored.
 * A send made while some still upload waits for them here, so it goes even if the user leaves
 * the room meanwhile. Held for the signed-in user only: another user's are aborted and dropped.
 */
export const useUploadsStore = defineStore('uploads', () => {
  const rooms = reactive(new Map<string, RoomUploads>());
  // Not reactive: the File and the way to stop its upload, by item key.
  const sources = new Map<string, { roomId: string; file: File; abort?: () => void }>();
  // Whose files these are: a ref, so that views showing none (another user's) update once there are.
  const owner = ref<string | null>(null);
  let nextKey = 0;
  const myId = () => useSessionStore().user?.id ?? null;

  /** Another user signed in (or none is): what the previous one left is aborted and dropped. */
  function isOwnerCurrent(): boolean {
    if (owner.value === myId()) return true;
    reset();
    owner.value = myId();
    return false;
  }

  function forRoom(roomId: string): Readonly<RoomUploads> {
    return (owner.value === myId() && rooms.get(roomId)) || EMPTY;
  }

  function ensure(roomId: string): RoomUploads {
    isOwnerCurrent();
    let state = rooms.get(roomId);
    if (!state) {
      rooms.set(roomId, { items: [], waiting: null, notice: null, sends: 0 });
      state = rooms.get(roomId)!;
    }
    return state;
  }

  /** Adds files to a room's next message, refusing (with a notice) those past the limits. */
  function add(roomId: string, files: readonly File[]): void {
    const state = ensure(roomId);
    const maxBytes = useSettingsStore().settings?.uploadMaxBytes;
    const tooLarge = maxBytes === undefined ? [] : files.filter((f) => f.size > maxBytes);
    const fitting = files.filter((f) => !tooLarge.includes(f));
    const room = Math.max(0, MAX - state.items.length);
    const tooMany = fitting.slice(room);
    state.notice =
      tooLarge.length > 0 || tooMany.length > 0
        ? { kind: 'refused', tooLarge: tooLarge.map(({ name, size }) => ({ name, size })), maxBytes: maxBytes ?? 0, tooMany: tooMany.map((f) => f.name) }
        : null;
    for (const file of fitting.slice(0, room)) {
      const key = `u${(nextKey += 1)}`;
      sources.set(key, { roomId, file });
      // Only what every browser draws (an SVG or HEIC preview could be blank); the server decides what the file is.
      const isImage = INLINE_IMAGE_TYPES.includes(file.type);
      state.items.push({ key, name: file.name, size: file.size, contentType: file.type, previewUrl: isImage ? URL.createObjectURL(file) : null, status: 'queued', loaded: 0, total: file.size, file: null, error: null });
    }
    pump();
  }

  function item(key: string): PendingAttachment | undefined {
    const roomId = sources.get(key)?.roomId;
    return roomId === undefined ? undefined : rooms.get(roomId)?.items.find((i) => i.key === key);
  }

  /** Starts queued uploads, oldest first, while fewer than PARALLEL_UPLOADS run. */
  function pump(): void {
    const all = [...rooms.values()].flatMap((state) => state.items);
    let running = all.filter((i) => i.status === 'uploading').length;
    for (const next of all) {
      if (running >= PARALLEL_UPLOADS) return;
      if (next.status !== 'queued') continue;
      running += 1;
      start(next.key);
    }
  }

  function start(key: string): void {
    const source = sources.get(key)!;
    const handle = uploadFile(source.file, {
      onProgress: (loaded, total) => {
        const current = item(key);
        if (current?.status === 'uploading') Object.assign(current, { loaded, total });
      },
    });
    source.abort = handle.abort;
    Object.assign(item(key)!, { status: 'uploading', loaded: 0, error: null });
    void handle.result.then((outcome) => {
      const current = item(key);
      if (!current || outcome.ok === false && outcome.reason === 'aborted') return;
      if (outcome.ok) Object.assign(current, { status: 'done', loaded: current.total, file: outcome.file });
      else Object.assign(current, { status: 'failed', error: outcome.error });
      settle(source.roomId);
      pump();
    });
  }

  /** After an upload ended or a file went: a waiting message goes once all are stored, and not at all if one failed. */
  function settle(roomId: string): void {
    const state = rooms.get(roomId);
    const waiting = state?.waiting;
    if (!state || !waiting || !isOwnerCurrent()) return;
    const failed = state.items.find((i) => i.status === 'failed');
    if (failed) {
      state.waiting = null;
      state.notice = { kind: 'failed', name: failed.name, isSendStopped: true };
    } else if (state.items.every((i) => i.status === 'done')) {
      state.waiting = null;
      if (!deliver(roomId, waiting)) state.notice = { kind: 'notSendable' };
    }
  }

  function deliver(roomId: string, { room, body, replyTo }: WaitingSend): boolean {
    const state = rooms.get(roomId)!;
    const files = state.items.map((i) => i.file!);
    if (files.length === 0 && bodyLength(body) === 0) return false;
    if (!room.send(body, replyTo, files)) return false;
    for (const gone of state.items.splice(0)) forget(gone);
    const me = myId();
    if (me) saveDraft(me, roomId, '');
    state.notice = null;
    state.sends += 1;
    return true;
  }

  /**
   * Sends `body` with the room's files: now if all are stored, else once they are (`waiting`).
   * `blocked`: one failed (the notice names it), or the message is not valid.
   */
  function send(roomId: string, room: RoomMessages, body: string, replyTo?: ReplyRef): SendOutcome {
    const state = ensure(roomId);
    const failed = state.items.find((i) => i.status === 'failed');
    if (failed) {
      state.notice = { kind: 'failed', name: failed.name, isSendStopped: false };
      return 'blocked';
    }
    const waiting = { room, body, ...(replyTo ? { replyTo } : {}) };
    if (state.items.every((i) => i.status === 'done')) return deliver(roomId, waiting) ? 'sent' : 'blocked';
    state.waiting = waiting;
    state.notice = null;
    return 'waiting';
  }

  /** The user wants to change the message after all: it no longer goes by itself. Uploads carry on. */
  function cancelWaiting(roomId: string): void {
    const state = rooms.get(roomId);
    if (state) state.waiting = null;
  }

  /** The × on a chip: stops its upload, or takes the stored file off the message. */
  function remove(roomId: string, key: string): void {
    const state = rooms.get(roomId);
    const index = state?.items.findIndex((i) => i.key === key) ?? -1;
    if (!state || index === -1) return;
    const [gone] = state.items.splice(index, 1);
    forget(gone!);
    state.notice = null;
    if (state.waiting && state.items.length === 0 && bodyLength(state.waiting.body) === 0) state.waiting = null;
    settle(roomId);
    pump();
  }

  function retry(roomId: string, key: string): void {
    const target = rooms.get(roomId)?.items.find((i) => i.key === key);
    if (target?.status !== 'failed') return;
    Object.assign(target, { status: 'queued', loaded: 0, error: null });
    rooms.get(roomId)!.notice = null;
    pump();
  }

  function dismissNotice(roomId: string): void {
    const state = rooms.get(roomId);
    if (state) state.notice = null;
  }

  function forget(gone: PendingAttachment): void {
    sources.get(gone.key)?.abort?.();
    sources.delete(gone.key);
    if (gone.previewUrl) URL.revokeObjectURL(gone.previewUrl);
  }

  /** Whether any upload runs or waits (the page warns before it is closed). */
  function isBusy(): boolean {
    return [...rooms.values()].some((state) => state.waiting || state.items.some((i) => i.status === 'queued' || i.status === 'uploading'));
  }

  // Closing the page would lose uploads in progress (a page cannot get a file back after a reload).
  window.addEventListener('beforeunload', (event) => {
    if (isBusy()) event.preventDefault();
  });

  function reset(): void {
    for (const state of rooms.values()) for (const gone of state.items) forget(gone);
    rooms.clear();
    owner.value = null;
  }

  return { rooms, forRoom, add, send, cancelWaiting, remove, retry, dismissNotice, isBusy, reset };
});

/** A notice in the reader's language (called where it is shown, so it follows a change of language). */
export function noticeText(notice: UploadNotice): string {
  switch (notice.kind) {
    case 'failed':
      return t(notice.isSendStopped ? 'composer.uploads.notSentFailed' : 'composer.uploads.failed', { name: notice.name });
    case 'notSendable':
      return t('composer.uploads.notSentInvalid');
    case 'refused': {
      const tooLarge = tooLargeText(notice);
      const tooMany = tooManyText(notice);
      return tooLarge && tooMany ? t('composer.uploads.both', { first: tooLarge, second: tooMany }) : (tooLarge ?? tooMany ?? '');
    }
  }
}

type RefusedNotice = Extract<UploadNotice, { kind: 'refused' }>;

function tooLargeText({ tooLarge, maxBytes }: RefusedNotice): string | null {
  // The limit as the server's refusal names it (rounded down); the file rounded up, so that it never reads as the limit.
  const max = formatSize(maxBytes);
  if (tooLarge.length > 1) return t('composer.uploads.tooLargeMany', { n: tooLarge.length, max }, tooLarge.length);
  const [file] = tooLarge;
  return file ? t('composer.uploads.tooLargeOne', { name: file.name, size: formatSize(file.size, { rounding: 'up' }), max }) : null;
}

function tooManyText({ tooMany }: RefusedNotice): string | null {
  if (tooMany.length > 1) return t('composer.uploads.tooManyMany', { max: MAX, n: tooMany.length }, tooMany.length);
  const [name] = tooMany;
  return name === undefined ? null : t('composer.uploads.tooManyOne', { max: MAX, name });
}
