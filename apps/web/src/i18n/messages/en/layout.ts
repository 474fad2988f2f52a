/** Strings of the layout area (see i18n/messages/en/index.ts for which files each area covers). */
export const layout = {
  /** The tab title: the page's own title, then the brand. */
  documentTitle: '{page} · {appName}',
  sidebar: {
    label: 'Channels and direct messages',
    enableNotifications: 'Enable notifications',
    status: {
      connected: 'Connected',
      notConnected: 'Not connected',
      reconnecting: 'Reconnecting',
      connecting: 'Connecting',
    },
  },
  nav: {
    open: 'Open navigation',
    openWithUnread: 'Open navigation, {unread} unread',
    openWithMentions: 'Open navigation, {n} mention | Open navigation, {n} mentions',
    openWithBoth: 'Open navigation, {unread} unread, {n} mention | Open navigation, {unread} unread, {n} mentions',
    close: 'Close navigation',
  },
  /** Read after a sidebar item's name by screen readers; the badges themselves are hidden from them. */
  badge: {
    mentions: ', {n} mention | , {n} mentions',
    unread: ', {n} unread',
  },
  online: {
    count: '{n} online',
    away: '{n} away',
    more: '+{n} more',
    reconnecting: 'Reconnecting…',
    unknownHint: 'Presence is unknown until the connection is back',
  },
  dialog: {
    close: 'Close',
  },
  notFound: {
    backToLobby: 'Back to #lobby',
  },
  update: {
    available: 'A new version of {appName} is available.',
    reload: 'Reload',
    notNow: 'Not now',
  },
  connection: {
    originRefused: "This server does not accept connections from this page's address. Its operator must add it to ALLOWED_ORIGINS.",
    offline: 'You are offline. Messages you send will go out when you are back.',
    refused: 'The server refused the connection.',
    lostRetrying: 'Connection lost. Reconnecting in {seconds}s…',
    unreachableRetrying: 'Cannot reach the server. Retrying in {seconds}s…',
    reconnecting: 'Reconnecting…',
    connecting: 'Connecting…',
  },
  lobby: {
    label: '# lobby',
    topic: 'The public room: everyone on this server can read and write here.',
    introTitle: 'Welcome to #lobby',
    introText: 'This is the very beginning of the lobby. Say hello!',
    composerLabel: 'Message #lobby',
  },
  notification: {
    /** A lobby or channel message's notification title. */
    inChannel: '{author} in #{channel}',
  },
};
