import type { ConnectErrorData } from '@confab/shared';
import { useConversationsStore } from '../stores/conversations';
import { useDmStore } from '../stores/dm';
import { useNotifySettingsStore } from '../stores/notifySettings';
import { usePresenceStore } from '../stores/presence';
import { useRoomMessagesStore } from '../stores/roomMessages';
import { useRoomsStore } from '../stores/rooms';
import { useTypingStore } from '../stores/typing';
import type { Notifier } from './notifier';
import { createReceiptsRealtime } from './receiptsRealtime';
import type { RoomsRealtime } from './roomsRealtime';
import { KICK_RETRY_MS, REFUSED_RETRY_MS, createRetryTimer, RESYNC_SPREAD_MS, afterRandomDelay } from './retryTimer';
import { dmSocket, isOriginRefusal, listenAll } from './socket';

export interface DmLink {
  connect(): void;
  disconnect(): void;
  stop(): void;
}

/**
 * Maps `/dm` socket events to the DM and room stores. On every (re)connect it refetches the
 * conversation and room lists (updates sent while we were away are lost) and catches up the rooms
 * this tab holds before releasing their outboxes, as the lobby does. The transport's retries and
 * the banner belong to the lobby socket, which shares this socket's connection.
 */
export function bindDmSocket(deps: { notifier: Notifier; onUnauthorized: () => void; rooms: RoomsRealtime }): DmLink {
  const dm = useDmStore();
  const rooms = useRoomsStore();
  const roomMessages = useRoomMessagesStore();
  const conversations = useConversationsStore();
  const typing = useTypingStore();
  const presence = usePresenceStore();
  const notifySettings = useNotifySettingsStore();
  const receipts = createReceiptsRealtime();
  // Bumped on every connect and disconnect: a catch-up that outlived its connection must not resume sends.
  let epoch = 0;
  const retry = createRetryTimer(() => dmSocket.connect());
  const clearRetry = retry.clear;
  const retryLater = (delayMs = REFUSED_RETRY_MS) => retry.schedule(delayMs);

  async function onConnect(): Promise<void> {
    const current = ++epoch;
    clearRetry();
    dm.markConnected();
    roomMessages.markConnected('dm');
    // Online people still unnamed: the directory lookup needs this socket.
    void presence.resolveNames();
    // Changes made on other devices while we were away came as `notify:update`s we missed.
    void notifySettings.load();
    const isCurrent = () => current === epoch && dmSocket.connected;
    await Promise.all([conversations.refresh(), dm.catchUpAll(isCurrent), deps.rooms.onDmConnect(isCurrent), receipts.onConnect()]);
  }

  function onDisconnect(reason: string): void {
    epoch += 1;
    dm.markDisconnected();
    rooms.markStale();
    roomMessages.markDisconnected('dm');
    // The manager reconnects transport failures by itself; a server-side kick (the session
    // ended) it does not: connect again soon, so that an ended session is refused and noticed.
    if (reason === 'io server disconnect') retryLater(KICK_RETRY_MS);
    else if (reason !== 'io client disconnect' && !dmSocket.active) retryLater();
  }

  function onConnectError(err: Error): void {
    const data = (err as Error & { data?: ConnectErrorData }).data;
    if (data?.code === 'unauthorized') deps.onUnauthorized();
    else if (!dmSocket.active && !isOriginRefusal(err)) retryLater(data?.code === 'rate_limited' && data.retryAfterMs ? data.retryAfterMs : undefined);
  }

  // Every private room's entries: DMs, groups and private channels.
  const onMessage = (message: Parameters<typeof dm.receiveLive>[0]) => {
    if (message.roomId.startsWith('dm:')) {
      dm.receiveLive(message);
      receipts.onEntry(message);
    } else deps.rooms.onEntry(message);
    if (!message.recall && !message.change) typing.clearUser(message.roomId, message.author.id);
    deps.notifier.onDirectMessage(message);
  };
  // The server's instance missed other instances' broadcasts for a while: refresh what they carry.
  // Unlike a reconnect, the outbox is left alone: the connection never dropped.
  const onResync = () =>
    afterRandomDelay(() => {
      void conversations.refresh();
      void notifySettings.load();
      void dm.fillGaps();
      void deps.rooms.onDmResync();
      void receipts.onResync();
    }, RESYNC_SPREAD_MS);
  const onConversation = (conversation: Parameters<typeof conversations.upsert>[0]) => conversations.upsert(conversation);
  // Our own marks reach every tab of ours, whatever the room; a DM peer's marks show "Seen", and
  // so do other members' in groups and private channels.
  const onRead = (mark: Parameters<typeof conversations.applyMark>[0]) => {
    conversations.applyMark(mark);
    deps.rooms.onMark(mark);
    receipts.onMark(mark);
  };

  const unlisten = listenAll(dmSocket, [
    ['connect', onConnect],
    ['disconnect', onDisconnect],
    ['connect_error', onConnectError],
    ['dm:message', onMessage],
    ['conversation:update', onConversation],
    ['dm:read', onRead],
    ['notify:update', notifySettings.apply],
    ['typing', typing.apply],
    ['resync', onResync],
    ...deps.rooms.dmListeners,
    ...receipts.listeners,
  ]);

  return {
    connect() {
      clearRetry();
      dmSocket.connect();
    },
    // Called when the user changes (and on a refused origin): the receipts kept were theirs.
    disconnect() {
      clearRetry();
      receipts.reset();
      dmSocket.disconnect();
    },
    stop() {
      clearRetry();
      unlisten();
      receipts.stop();
      dmSocket.disconnect();
    },
  };
}
