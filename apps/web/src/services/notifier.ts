import { shallowReactive, watch } from 'vue';
import type { RouteLocationRaw, Router } from 'vue-router';
import { LOBBY_ROOM_ID, type AttachmentDto, type MessageChangeDto, type MessageDto } from '@confab/shared';
import { documentTitle, notificationBody, notificationTitle, shouldNotify, titleUnread } from '../lib/notifications';
import { mentionsUser } from '../lib/roomMentions';
import { isGroupRoom } from '../lib/rooms';
import { useAttentionStore } from '../stores/attention';
import { useConversationsStore } from '../stores/conversations';
import { useDmStore } from '../stores/dm';
import { useNotifySettingsStore } from '../stores/notifySettings';
import { useRoomMessagesStore } from '../stores/roomMessages';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { mayNotify, titleCount } from '../lib/notifyPolicy';

interface Shown {
  notification: Notification;
  /** The seq of the message it announces. */
  seq: number;
  title: string;
  route: () => RouteLocationRaw;
}

export interface Notifier {
  /** Called by the realtime edge for every `dm:message` (DMs and groups): raises a notification if it deserves one. */
  onDirectMessage(message: MessageDto): void;
  /** Closes every notification and undoes the listeners and watchers. */
  stop(): void;
}

/**
 * The edge between the tab and the reader's attention: tracks visibility and focus, keeps the
 * tab title's unread count, and raises one system notification per room (tagged by room, so a
 * newer one replaces it), closing it once the room is opened or read elsewhere. Each room's
 * notification setting decides (see notifyPolicy): `all` notifies and counts every message,
 * `mentions` (the default for the lobby and channels, where anyone may post) only messages that
 * mention the reader, `none` and a mute nothing at all.
 */
export function startNotifier(router: Router): Notifier {
  const attention = useAttentionStore();
  const conversations = useConversationsStore();
  const dm = useDmStore();
  const roomMessages = useRoomMessagesStore();
  const rooms = useRoomsStore();
  const session = useSessionStore();
  const notifySettings = useNotifySettingsStore();
  const isDm = (roomId: string) => roomId.startsWith('dm:');
  const openRoomId = (roomId: string) => (isDm(roomId) ? dm.activeRoomId : isGroupRoom(roomId) ? roomMessages.activeRoomId : rooms.viewedRoomId);
  const readSeq = (roomId: string) => (isDm(roomId) ? conversations.byRoomId[roomId]?.myReadSeq : rooms.byId[roomId]?.myReadSeq) ?? 0;
  // The objects we raised, by room, with the seq they announced: the only handle that can take a
  // notification down again. Reactive (entries only), so the watcher that closes them sees new ones.
  // The title and target are kept so that an edit can put up the same notification with the new text.
  const shown = shallowReactive(new Map<string, Shown>());
  // The newest seq each room has notified for: an entry delivered twice (a resync, a second
  // socket) never notifies twice.
  const announced = new Map<string, number>();

  /** Whether the room's setting lets this message (or an edit's new state) interrupt. */
  const isWanted = (roomId: string, target: { mentions?: MessageDto['mentions'] }) => mayNotify(notifySettings.stateOf(roomId), roomId, mentionsUser(target, session.user?.id));

  /** An entry the reader has not read and this tab has not notified for yet. */
  const isNews = (roomId: string, seq: number) => seq > readSeq(roomId) && seq > (announced.get(roomId) ?? 0);

  function close(roomId: string): void {
    shown.get(roomId)?.notification.close();
    shown.delete(roomId);
  }

  function closeAll(): void {
    for (const roomId of [...shown.keys()]) close(roomId);
  }

  /** Puts up a room's notification, replacing (closing) the one it had. A message with no text announces its files. */
  function show(roomId: string, seq: number, title: string, body: string, route: () => RouteLocationRaw, attachments?: readonly AttachmentDto[]): void {
    close(roomId);
    try {
      const notification = new Notification(title, { body: notificationBody(body, attachments), tag: roomId });
      notification.onclick = () => {
        window.focus();
        void router.push(route());
        close(roomId);
      };
      shown.set(roomId, { notification, seq, title, route });
    } catch {
      // Some browsers (Chrome on Android) only allow notifications from a service worker; the title still counts.
    }
  }

  /** Raises a message's notification, replacing the room's previous one, unless the reader is looking or it is ours. */
  function raise(message: MessageDto, title: string, route: () => RouteLocationRaw): void {
    const context = {
      myId: session.user?.id,
      activeRoomId: openRoomId(message.roomId),
      isAttentive: attention.isAttentive,
      permission: attention.notificationPermission,
    };
    if (!shouldNotify(message, context) || !isNews(message.roomId, message.seq)) return;
    announced.set(message.roomId, message.seq);
    show(message.roomId, message.seq, title, message.body, route, message.attachments);
  }

  /**
   * An edit of the message a room's notification announces: the notification must not keep the
   * words the author took back. It shows the new text, or goes if nothing is left to announce (the
   * text is gone, or, where only mentions notify, the mention is).
   */
  function onEdit(roomId: string, change: MessageChangeDto, isStillWorthIt: boolean): void {
    const current = shown.get(roomId);
    if (change.type !== 'edit' || current?.seq !== change.seq) return;
    if (!isStillWorthIt || change.state.recalledAt || change.state.body === '') close(roomId);
    else show(roomId, current.seq, current.title, change.state.body, current.route);
  }

  function onDirectMessage(message: MessageDto): void {
    if (message.recall) {
      if (shown.get(message.roomId)?.seq === message.recall.seq) close(message.roomId);
      return;
    }
    if (!(isDm(message.roomId) || isGroupRoom(message.roomId))) return;
    if (message.change) {
      if (message.change.type === 'edit') onEdit(message.roomId, message.change, isWanted(message.roomId, message.change.state));
      return;
    }
    if (message.event || !isWanted(message.roomId, message)) return;
    const peer = () => conversations.byRoomId[message.roomId]?.peer;
    raise(message, notificationTitle(message.author.name), () => {
      if (isGroupRoom(message.roomId)) return { name: 'group', params: { roomId: message.roomId } };
      const username = peer()?.username;
      return username ? { name: 'dm', params: { username } } : { name: 'lobby' };
    });
  }

  /** A live entry of the lobby or a channel, as its setting asks (by default, a message that mentions the reader). Groups notify through `onDirectMessage`. */
  function onChannelEntry(message: MessageDto): void {
    if (isDm(message.roomId) || isGroupRoom(message.roomId)) return;
    if (message.recall) {
      if (shown.get(message.roomId)?.seq === message.recall.seq) close(message.roomId);
      return;
    }
    if (message.change) {
      // An edit that drops the mention (where only mentions notify) takes the notification down; otherwise it updates the text.
      if (message.change.type === 'edit') onEdit(message.roomId, message.change, isWanted(message.roomId, message.change.state));
      return;
    }
    if (message.event || !isWanted(message.roomId, message)) return;
    // This runs before the store notes the entry: one at or below the newest seq held was seen already.
    const held = rooms.byId[message.roomId];
    if (held && message.seq <= held.lastSeq) return;
    const name = message.roomId === LOBBY_ROOM_ID ? 'lobby' : rooms.byId[message.roomId]?.room.name;
    const title = notificationTitle(message.author.name, name || undefined);
    raise(message, title, () => (message.roomId === LOBBY_ROOM_ID || !name ? { name: 'lobby' } : { name: 'channel', params: { name } }));
  }

  // Every live entry of the lobby and of channels passes through the rooms store's `noteMessage`
  // (the realtime edge notes each one there before anything else happens to it).
  const stopEntries = rooms.$onAction(({ name, args }) => {
    if (name === 'noteMessage') onChannelEntry(args[0]);
  });

  const onVisibility = () => attention.setVisible(document.visibilityState === 'visible');
  const onFocus = () => attention.setFocus(true);
  const onBlur = () => attention.setFocus(false);
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('focus', onFocus);
  window.addEventListener('blur', onBlur);

  // What each room's setting lets count: everything, its mentions, or nothing (`none`, muted).
  const counted = (roomId: string, counts: { unreadCount: number; mentionCount?: number }) => ({ roomId, unreadCount: titleCount(notifySettings.stateOf(roomId), roomId, counts) });
  const roomUnread = () => Object.values(rooms.byId).map((s) => counted(s.room.id, s));
  const dmUnread = () => conversations.list.map((c) => counted(c.roomId, c));
  const stopTitle = watch(
    () =>
      documentTitle(
        attention.pageTitle,
        titleUnread(dmUnread(), dm.activeRoomId, attention.isAttentive) + titleUnread(roomUnread(), rooms.viewedRoomId, attention.isAttentive),
      ),
    (title) => {
      document.title = title;
    },
    { immediate: true },
  );

  // A room's notification goes once the reader is looking at the room, has read past what it
  // announced (here or in another tab), or silenced the room (on any device). The read mark, not
  // the unread count: the count of the entry held when the message arrives is still the old one.
  const isSilenced = (roomId: string) => !mayNotify(notifySettings.stateOf(roomId), roomId, true);
  const stopClosing = watch(
    () =>
      [...shown.entries()]
        .filter(([roomId, { seq }]) => (attention.isAttentive && openRoomId(roomId) === roomId) || readSeq(roomId) >= seq || isSilenced(roomId))
        .map(([roomId]) => roomId),
    (done) => done.forEach(close),
  );
  const stopSignOut = watch(
    () => session.user?.id,
    () => {
      closeAll();
      announced.clear();
    },
  );

  return {
    onDirectMessage,
    stop() {
      stopEntries();
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
