import { shallowReactive, watch } from 'vue';
import type { Router } from 'vue-router';
import type { MessageDto } from '@confab/shared';
import { documentTitle, notificationBody, notificationTitle, shouldNotify, titleUnread } from '../lib/notifications';
import { useAttentionStore } from '../stores/attention';
import { useConversationsStore } from '../stores/conversations';
import { useDmStore } from '../stores/dm';
import { useRoomMessagesStore } from '../stores/roomMessages';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';

export interface Notifier {
  /** Called by the realtime edge for every `dm:message` (DMs and groups): raises a notification if it deserves one. */
  onDirectMessage(message: MessageDto): void;
  /** Closes every notification and undoes the listeners and watchers. */
  stop(): void;
}

/**
 * The edge between the tab and the reader's attention: tracks visibility and focus, keeps the
 * tab title's unread count (every room), and raises one system notification per DM or group
 * (tagged by room, so a newer one replaces it), closing it once the room is opened or read elsewhere.
 * Channels do not notify: anyone may post there, and their unread counts say enough.
 */
export function startNotifier(router: Router): Notifier {
  const attention = useAttentionStore();
  const conversations = useConversationsStore();
  const dm = useDmStore();
  const roomMessages = useRoomMessagesStore();
  const rooms = useRoomsStore();
  const session = useSessionStore();
  const isGroup = (roomId: string) => roomId.startsWith('g:');
  const openRoomId = (roomId: string) => (isGroup(roomId) ? roomMessages.activeRoomId : dm.activeRoomId);
  const readSeq = (roomId: string) => (isGroup(roomId) ? rooms.byId[roomId]?.myReadSeq : conversations.byRoomId[roomId]?.myReadSeq) ?? 0;
  // The objects we raised, by room, with the seq they announced: the only handle that can take a
  // notification down again. Reactive (entries only), so the watcher that closes them sees new ones.
  const shown = shallowReactive(new Map<string, { notification: Notification; seq: number }>());

  function close(roomId: string): void {
    shown.get(roomId)?.notification.close();
    shown.delete(roomId);
  }

  function closeAll(): void {
    for (const roomId of [...shown.keys()]) close(roomId);
  }

  function onDirectMessage(message: MessageDto): void {
    // A recall takes down the notification that announced the recalled message; it raises none.
    if (message.recall) {
      if (shown.get(message.roomId)?.seq === message.recall.seq) close(message.roomId);
      return;
    }
    if (message.event || !(message.roomId.startsWith('dm:') || isGroup(message.roomId))) return;
    const context = {
      myId: session.user?.id,
      activeRoomId: openRoomId(message.roomId),
      isAttentive: attention.isAttentive,
      permission: attention.notificationPermission,
    };
    if (!shouldNotify(message, context)) return;
    close(message.roomId);
    try {
      const notification = new Notification(notificationTitle(message.author.name), { body: notificationBody(message.body), tag: message.roomId });
      notification.onclick = () => {
        window.focus();
        const peer = conversations.byRoomId[message.roomId]?.peer;
        if (isGroup(message.roomId)) void router.push({ name: 'group', params: { roomId: message.roomId } });
        else void router.push(peer ? { name: 'dm', params: { username: peer.username } } : { name: 'lobby' });
        close(message.roomId);
      };
      shown.set(message.roomId, { notification, seq: message.seq });
    } catch {
      // Some browsers (Chrome on Android) only allow notifications from a service worker; the title still counts.
    }
  }

  const onVisibility = () => attention.setVisible(document.visibilityState === 'visible');
  const onFocus = () => attention.setFocus(true);
  const onBlur = () => attention.setFocus(false);
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('focus', onFocus);
  window.addEventListener('blur', onBlur);

  const roomUnread = () => Object.values(rooms.byId).map((s) => ({ roomId: s.room.id, unreadCount: s.unreadCount }));
  const stopTitle = watch(
    () =>
      documentTitle(
        attention.pageTitle,
        titleUnread(conversations.list, dm.activeRoomId, attention.isAttentive) + titleUnread(roomUnread(), rooms.viewedRoomId, attention.isAttentive),
      ),
    (title) => {
      document.title = title;
    },
    { immediate: true },
  );

  // A room's notification goes once the reader is looking at the room, or has read past what it
  // announced (here or in another tab). The read mark, not the unread count: the count of the
  // entry held when the message arrives is still the old one.
  const stopClosing = watch(
    () =>
      [...shown.entries()]
        .filter(([roomId, { seq }]) => (attention.isAttentive && openRoomId(roomId) === roomId) || readSeq(roomId) >= seq)
        .map(([roomId]) => roomId),
    (done) => done.forEach(close),
  );
  const stopSignOut = watch(
    () => session.user?.id,
    () => closeAll(),
  );

  return {
    onDirectMessage,
    stop() {
      stopTitle();
      stopClosing();
      stopSignOut();
      closeAll();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
    },
  };
}
