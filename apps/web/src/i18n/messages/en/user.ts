/** Strings of the user area (see i18n/messages/en/index.ts for which files each area covers). */
export const user = {
  /** After the reader's own name in a list; it brings its own space. */
  you: ' (you)',
  nameWithUsername: "{name} ({'@'}{username})",
  presence: {
    online: 'online',
    away: 'away',
    offline: 'offline',
    /** `{when}` is a relative time: "5 minutes ago", "just now", "yesterday". */
    lastSeen: 'last seen {when}',
    unknown: 'presence unknown',
    unknownWhileReconnecting: 'presence unknown while reconnecting',
  },
  picker: {
    searchLabel: 'Find people by name or username',
    searchPlaceholder: 'Search by name or username',
    results: 'People',
    selected: 'Selected people',
    add: 'Add',
    added: 'Added',
    addPerson: 'Add {name}',
    removePerson: 'Remove {name}',
    tryAgain: 'Try again',
    noMatch: 'Nobody matches “{query}”.',
    searching: 'Searching…',
    loadMore: 'Load more',
  },
};
