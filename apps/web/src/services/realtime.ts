import { watch } from 'vue';
import type { Router } from 'vue-router';
import { LOBBY_ROOM_ID, type ConnectErrorData } from '@confab/shared';
import { useConnectionStore } from '../stores/connection';
import { useConversationsStore } from '../stores/conversations';
import { useDmStore } from '../stores/dm';
import { useLobbyStore } from '../stores/lobby';
import { useNotifySettingsStore } from '../stores/notifySettings';
import { usePresenceStore } from '../stores/presence';
import { useRoomMessagesStore } from '../stores/roomMessages';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { useSettingsStore } from '../stores/settings';
import { useTypingStore } from '../stores/typing';
import { useUploadsStore } from '../stores/uploads';
import { useUserStatesStore } from '../stores/userStates';
import { bindAccountEvents, createSessionEnd } from './accountRealtime';
import { bindDmSocket } from './dmRealtime';
import { bindPresence } from './presenceRealtime';
import { createRoomsRealtime } from './roomsRealtime';
import type { Notifier } from './notifier';
import { KICK_RETRY_MS, REFUSED_RETRY_MS, RESYNC_SPREAD_MS, afterRandomDelay, createRetryTimer } from './retryTimer';
import { expectUser, isOriginRefusal, listenAll, lobbySocket, onReconnectDelay, originRefusalMessage } from './socket';


/**
 * The one place that maps socket events to store actions (the `/dm` half lives in dmRealtime).
 * Connects while someone is signed in, and on every (re)connect catches up before releasing the
 * outbox, so that what the outbox resends lands after what the server already holds. Returns a
 * function that undoes it all.
 */
export function startRealtime(router: Router, notifier: Notifier): () => void {
  const session = useSessionStore();
  const lobby = useLobbyStore();
  const dm = useDmStore();
  const conversations = useConversationsStore();
  const connection = useConnectionStore();
  const typing = useTypingStore();
  const uploads = useUploadsStore();
  const presence = usePresenceStore();
  const settings = useSettingsStore();
  const rooms = useRoomsStore();
  const roomMessages = useRoomMessagesStore();
  const notifySettings = useNotifySettingsStore();
  const userStates = useUserStatesStore();
  const roomsLink = createRoomsRealtime();
  // Bumped on every connect and disconnect: a catch-up that outlived its connection must not resume sends.
  let epoch = 0;
  const retry = createRetryTimer(() => {
    connection.markConnecting();
    lobbySocket.connect();
  });
  const clearRetry = retry.clear;

  function retryLater(delayMs: number): void {
    connection.scheduleRetry(delayMs);
    retry.schedule(delayMs);
  }

  async function onConnect(): Promise<void> {
    const current = ++epoch;
    clearRetry();
    connection.markConnected();
    // The device clock may have changed while we were away: measure the server's again.
    void settings.load();
    const isCurrent = () => current === epoch && lobbySocket.connected;
    await Promise.all([
      (async () => {
        await lobby.catchUp();
        if (isCurrent()) lobby.resume();
      })(),
      roomsLink.onLobbyConnect(isCurrent),
    ]);
  }

  function onDisconnect(reason: string): void {
    epoch += 1;
    lobby.pause();
    roomMessages.markDisconnected('lobby');
    if (reason === 'io client disconnect') connection.stop();
    // The server ends sockets whose session ended, and socket.io does not reconnect those by itself.
    else if (reason === 'io server disconnect') reconnectAfterKick();
    else if (lobbySocket.active) connection.markConnecting(); // the manager picks a delay right after this
    else retryLater(REFUSED_RETRY_MS);
  }

  // A server that keeps ending a live session's sockets must not make us hammer it.
  let lastKickAt = -Infinity;
  function reconnectAfterKick(): void {
    const at = Date.now();
    const isRepeat = at - lastKickAt < REFUSED_RETRY_MS;
    lastKickAt = at;
    retryLater(isRepeat ? REFUSED_RETRY_MS : KICK_RETRY_MS);
  }

  const onUnauthorized = createSessionEnd(router);

  const dmLink = bindDmSocket({ notifier, onUnauthorized, rooms: roomsLink });

  function onConnectError(err: Error): void {
    const data = (err as Error & { data?: ConnectErrorData }).data;
    if (data?.code === 'unauthorized') {
      onUnauthorized();
      return;
    }
    // Retrying cannot help until the operator changes the setting: stop, and say so.
    if (isOriginRefusal(err)) {
      lobbySocket.disconnect();
      dmLink.disconnect();
      connection.refuse(originRefusalMessage);
      return;
    }
    // A transport failure: the manager retries by itself and reports its delay through onReconnectDelay.
    if (lobbySocket.active) return;
    retryLater(data?.code === 'rate_limited' && data.retryAfterMs ? data.retryAfterMs : REFUSED_RETRY_MS);
  }

  function onMessage(message: Parameters<typeof lobby.receiveLive>[0]): void {
    // Their message arrived: whatever they were typing has been sent.
    if (!message.recall && !message.change) typing.clearUser(message.roomId, message.author.id);
    // The lobby and public channels share this event; the lobby keeps its own store.
    if (message.roomId !== LOBBY_ROOM_ID) roomsLink.onEntry(message);
    else {
      roomsLink.noteEntry(message);
      // The store fills a gap it sees itself, once its frame's entries are merged.
      lobby.receiveLive(message);
    }
  }

  // The server's instance missed other instances' broadcasts for a while: fill the gap by seq.
  const onResync = () =>
    afterRandomDelay(() => {
      void lobby.catchUp();
      void roomMessages.fillGaps('lobby');
    }, RESYNC_SPREAD_MS);
  const onSettingsChanged = () => void settings.load();
  const onAttempt = () => connection.markConnecting();
  const onBrowserOnline = () => connection.setBrowserOnline(navigator.onLine);

  const unlisten = listenAll(lobbySocket, [
    ['connect', onConnect],
    ['disconnect', onDisconnect],
    ['connect_error', onConnectError],
    ['message:new', onMessage],
    ['typing', typing.apply],
    ['resync', onResync],
    // An admin changed the settings: windows, limits and the server's name follow without a reload.
    ['settings:changed', onSettingsChanged],
  ]);
  const stopPresence = bindPresence();
  // An admin's change to an account: a role (the menu follows) or a deactivation (the mark follows).
  const stopAccounts = bindAccountEvents(lobbySocket);
  lobbySocket.io.on('reconnect_attempt', onAttempt);
  const stopDelays = onReconnectDelay((ms) => {
    if (session.user) connection.scheduleRetry(ms);
  });
  window.addEventListener('online', onBrowserOnline);
  window.addEventListener('offline', onBrowserOnline);

  const stopWatch = watch(
    () => session.user?.id ?? null,
    (userId, previous) => {
      if (userId === previous) return;
      clearRetry();
      roomsLink.discardNotes();
      lobby.reset();
      dm.reset();
      conversations.reset();
      rooms.reset();
      roomMessages.reset();
      notifySettings.reset();
      typing.reset();
      presence.reset();
      uploads.reset();
      userStates.reset();
      // A new user needs a new handshake: the old one carried the previous session. Both sockets
      // share it, and the manager only closes it once neither is connected.
      lobbySocket.disconnect();
      dmLink.disconnect();
      connection.stop();
      expectUser(userId);
      if (!userId) return;
      // What this user left unsent here (before a reload or an ended session) goes out after the first catch-up.
      lobby.restore();
      dm.restore();
      roomMessages.restore();
      void settings.load();
      presence.learnNames([session.user!]);
      connection.markConnecting();
      lobbySocket.connect();
      dmLink.connect();
    },
    { immediate: true },
  );

  return () => {
    stopWatch();
    stopDelays();
    clearRetry();
    unlisten();
    roomsLink.discardNotes();
    stopPresence();
    stopAccounts();
    lobbySocket.io.off('reconnect_attempt', onAttempt);
    window.removeEventListener('online', onBrowserOnline);
    window.removeEventListener('offline', onBrowserOnline);
    lobbySocket.disconnect();
    dmLink.stop();
  };
}
