import { getCurrentScope, onScopeDispose, ref, watch } from 'vue';
import type { MessageDto } from '@confab/shared';
import { t } from '../i18n';
import type { RoomMessages } from '../lib/roomMessages';

/** More new messages at once than this (a reconnect's catch-up) are summed up in one line, not read out one by one. */
const ONE_BY_ONE_MAX = 3;
/** Lines kept in the live region: the newest are what is read; older ones only need to stay put. */
const LINES_KEPT = 10;
/** A long message is cut here: the reader can go to the list for the rest. */
const TEXT_MAX = 160;
/** A line leaves the region this long after it was added: read by then, and no text lingers in the page. */
export const ANNOUNCEMENT_TTL_MS = 15_000;

export interface Announcement {
  id: number;
  text: string;
  /** The message the line quotes, as it was then; null for a summary line. */
  about: { id: string; body: string } | null;
}

/** "Bob Baker: hello", the way a screen reader hears a new message (in the language on screen when it arrived). */
export function announcementOf(message: MessageDto): string {
  const files = message.attachments?.length ?? 0;
  const body = message.body.length > TEXT_MAX ? `${message.body.slice(0, TEXT_MAX)}…` : message.body;
  const text = body || (files > 0 ? t('chat.announce.files', { n: files }, files) : '');
  return t('chat.announce.message', { name: message.author.name, text });
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

  const timers = new Set<ReturnType<typeof setTimeout>>();

  function say(text: string, about: MessageDto | null = null): void {
    nextId += 1;
    const id = nextId;
    lines.value = [...lines.value, { id, text, about: about && { id: about.id, body: about.body } }].slice(-LINES_KEPT);
    const timer = setTimeout(() => {
      timers.delete(timer);
      lines.value = lines.value.filter((line) => line.id !== id);
    }, ANNOUNCEMENT_TTL_MS);
    timers.add(timer);
  }
  if (getCurrentScope()) onScopeDispose(() => timers.forEach(clearTimeout));

  // An edited or recalled message takes its line with it: the old text must not stay in the page
  // (hidden from sight, but still there for anyone reading the page's text).
  watch(
    () => room().messages,
    (messages) => {
      if (!lines.value.some((line) => line.about)) return;
      const now = new Map(messages.map((m) => [m.id, m]));
      const isCurrent = (about: Announcement['about']) => {
        if (!about) return true;
        const message = now.get(about.id);
        return message !== undefined && !message.recalledAt && message.body === about.body;
      };
      if (lines.value.every((line) => isCurrent(line.about))) return;
      lines.value = lines.value.filter((line) => isCurrent(line.about));
    },
  );

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
      if (fresh.length > ONE_BY_ONE_MAX) say(t('chat.announce.summary', { n: fresh.length, name: fresh.at(-1)!.author.name }));
      else for (const message of fresh) say(announcementOf(message), message);
    },
    { immediate: true },
  );

  return { lines };
}
