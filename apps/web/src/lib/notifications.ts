import { isolateText, type AttachmentDto, type MessageDto } from '@confab/shared';
import { t } from '../i18n';
import { attachmentsText } from './attachments';
import { truncate } from './graphemes';
import { toPlainText } from './markdown';

/** Longest notification body, in characters (grapheme clusters): platforms cut around here anyway, and a preview is enough. */
export const PREVIEW_MAX_LENGTH = 140;

export type PermissionState = NotificationPermission | 'unsupported';

export interface NotifyContext {
  myId: string | undefined;
  /** The DM room this tab shows, if any. */
  activeRoomId: string | null;
  /** Visible and focused. */
  isAttentive: boolean;
  permission: PermissionState;
}

/** Why a message would interrupt: someone else wrote, and the reader is not looking at that room. */
export function wantsAttention(message: MessageDto, context: Omit<NotifyContext, 'permission'>): boolean {
  if (message.author.id === context.myId) return false;
  return !context.isAttentive || context.activeRoomId !== message.roomId;
}

/** Whether to raise a system notification for a DM that just arrived. */
export function shouldNotify(message: MessageDto, context: NotifyContext): boolean {
  return context.permission === 'granted' && !message.recall && wantsAttention(message, context);
}

/**
 * The notification text: the message as it reads (its plain-text form: no markup, shortcodes as
 * emoji) on one line, or its files (`📎 cat.png`) when it has no text, cut with an ellipsis
 * between whole characters.
 */
export function notificationBody(body: string, attachments?: readonly AttachmentDto[]): string {
  return truncate(toPlainText(body) || attachmentsText(attachments), PREVIEW_MAX_LENGTH);
}

/**
 * The notification's title: the sender's name, and for a lobby or channel message the channel's
 * ("Bob in #design"), each isolated so that it cannot reorder the words or what the platform adds
 * around them.
 */
export function notificationTitle(authorName: string, channelName?: string): string {
  if (channelName === undefined) return isolateText(authorName);
  return t('layout.notification.inChannel', { author: isolateText(authorName), channel: isolateText(channelName) });
}

/** A room's unread count as the title needs it: a DM conversation, or a room summary's id and count. */
export interface UnreadEntry {
  roomId: string;
  unreadCount: number;
}

/**
 * Unread messages worth a count in the tab title: all of them, in every room, except in the room
 * the reader is looking at right now (it is being read; counting it would flash "(1)" on every reply).
 */
export function titleUnread(conversations: Iterable<UnreadEntry>, activeRoomId: string | null, isAttentive: boolean): number {
  let total = 0;
  for (const c of conversations) {
    if (isAttentive && c.roomId === activeRoomId) continue;
    total += c.unreadCount;
  }
  return total;
}

/** `#lobby · Confab`, with `(3) ` in front while there are unread messages. */
export function documentTitle(pageTitle: string | null, unread: number): string {
  const appName = t('common.appName');
  const base = pageTitle ? t('layout.documentTitle', { page: pageTitle, appName }) : appName;
  return unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base}` : base;
}
