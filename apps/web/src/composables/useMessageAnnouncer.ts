import { ref, watch } from 'vue';
import type { MessageDto } from '@confab/shared';
import type { RoomMessages } from '../lib/roomMessages';

/** More new messages at once than this (a reconnect's catch-up) are summed up in one line, not read out one by one. */
const ONE_BY_ONE_MAX = 3;
/** Lines kept in the live region: the newest are what is read; older ones only need to stay put. */
const LINES_KEPT = 10;
/** A long message is cut here: the reader can go to the list for the rest. */
const TEXT_MAX = 160;

export interface Announcement {
  id: number;
  text: string;
}

/** "Bob Baker: hello", the way a screen reader hears a new message. */
export function announcementOf(message: MessageDto): string {
  const files = message.attachments?.length ?? 0;
  const body = message.body.length > TEXT_MAX ? `${message.body.slice(0, TEXT_MAX)}…` : message.body;
  const text = body || (files > 0 ? `sent ${files === 1 ? 'a file' : `${files} files`}` : '');
  return `${message.author.name}: ${text}`;
}

/** A message shown as a row (not a recall, change or room event entry, not recalled). */
function isShownMessage(message: MessageDto): boolean {
  return !message.recall && !message.change && !message.event && !message.recalledAt;
}

/**
 * The lines of a polite live region that announces messages from others as they arrive. Only
 * seqs past the newest one the room held once it had loaded count: the history that loads on
 * scrolling up, or on jumping to a reply, is older and is never read out, and re-rendering a
 * row (a reaction, an edit, a receipt) adds nothing. The reader's own messages are not read back.
 */
export function useMessageAnnouncer(room: () => RoomMessages, myId: () => string | null) {
  const lines = ref<Announcement[]>([]);
  /** The newest seq already accounted for; null until the room has loaded. */
  let through: number | null = null;
  let nextId = 0;

  function say(text: string): void {
    nextId += 1;
    lines.value = [...lines.value, { id: nextId, text }].slice(-LINES_KEPT);
  }

  watch(
    () => [room().loadStatus, room().messages.at(-1)?.seq ?? 0] as const,
    ([status, newest]) => {
      if (status !== 'done') return;
      if (through === null || newest <= through) {
        through = Math.max(through ?? 0, newest);
        return;
      }
      const since = through;
      through = newest;
      const fresh = room().messages.filter((m) => m.seq > since && isShownMessage(m) && m.author.id !== myId());
      if (fresh.length > ONE_BY_ONE_MAX) say(`${fresh.length} new messages, the last from ${fresh.at(-1)!.author.name}`);
      else for (const message of fresh) say(announcementOf(message));
    },
    { immediate: true },
  );

  return { lines };
}
