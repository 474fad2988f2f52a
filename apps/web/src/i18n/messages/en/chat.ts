/** Strings of the chat area (see i18n/messages/en/index.ts for which files each area covers). */
export const chat = {
  /** A list of names read as one phrase: "Alice, Bob and Carol" (lib/nameList.ts). */
  names: {
    separator: ', ',
    last: '{names} and {last}',
  },
  list: {
    label: 'Messages',
    loading: 'Loading messages…',
    loadFailed: 'Could not load messages.',
    loadingOlder: 'Loading earlier messages…',
    loadOlderFailed: 'Could not load earlier messages.',
    tryAgain: 'Try again',
    /** The button back to the bottom, with the messages that arrived while the reader was scrolled up. */
    newMessages: '{n} new message | {n} new messages',
    jumpToLatest: 'Jump to latest',
    quoteNotFound: 'The original message was not found: it may have been removed.',
  },
  day: {
    today: 'Today',
    yesterday: 'Yesterday',
  },
  newMessagesLine: 'New messages',
  message: {
    /** The tombstone of a recalled message; slot or value `name`: its author. */
    recalled: '{name} recalled a message',
    /** The tombstone of a message a moderator (an admin, or the channel's owner) removed. */
    removed: 'Message removed by a moderator',
    /** Beside the author's name when their account is deactivated (or banned). */
    deactivated: 'deactivated',
    deactivatedTitle: 'This account has been deactivated',
    /** Slot `time`: the edit's date and time, with a space before it (visually hidden until the message is tapped). */
    edited: '(edited{time})',
    editedAt: 'Edited {time}',
    recallFailed: 'Could not recall: {error}',
    held: 'You are sending too fast. This goes out in {seconds} s…',
    sending: 'Sending…',
  },
  actions: {
    label: 'Message actions',
    react: 'Add reaction',
    reply: 'Reply',
    edit: 'Edit',
    /** Slot `left`: the time left to recall it, "1:59". */
    recall: 'Recall ({left})',
    recallTitle: 'You can recall this message for {left} more',
    notAReaction: '{emoji} cannot be used as a reaction.',
    report: 'Report message',
    remove: 'Remove message',
  },
  /** Reporting a message to the admins, and removing one as a moderator (an admin, or the channel's owner). */
  moderation: {
    reportTitle: 'Report message',
    /** Slot `name`: the message's author. */
    reportIntro: 'The administrators will see this message from {name}, with your reason.',
    reason: 'Reason (optional)',
    reasonHint: 'Up to {max} characters.',
    report: 'Report',
    reporting: 'Reporting…',
    reported: 'Reported to the administrators.',
    removeTitle: 'Remove message?',
    /** Slot `name`: the message's author. */
    removeIntro: 'Everyone in this room will see “Message removed by a moderator” instead of this message from {name}. This can’t be undone.',
    remove: 'Remove',
    removing: 'Removing…',
    cancel: 'Cancel',
    /** The message the dialog is about, when it has no text (only files). */
    noText: '(no text)',
  },
  failed: {
    notSent: 'Not sent: {error}',
    notDelivered: 'Not delivered',
    /** Only in languages other than English (English shows the error's own message). */
    replyGone: 'The message it replies to was recalled or no longer exists.',
    retry: 'Retry',
    retryWithoutQuote: 'Send without the quote',
    copy: 'Copy text',
    copied: 'Copied',
    copyFailed: 'Could not copy; select the text above instead.',
    delete: 'Delete',
  },
  /** The copy button on a code block in a message. */
  code: {
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Copy failed',
  },
  receipt: {
    sent: 'Sent',
    delivered: 'Delivered',
    seen: 'Seen',
    seenBy: 'Seen by {names}',
  },
  reactions: {
    label: 'Reactions',
    add: 'Add reaction',
    /** A chip's accessible name: "👍 2: Alice and Bob reacted with 👍". */
    chip: '{emoji} {count}: {who}',
    who: '{names} reacted with {emoji}',
  },
  quote: {
    show: 'Show the original message',
    recalledTitle: 'The original message was recalled',
    recalled: 'Original message was recalled',
    removedTitle: 'The original message was removed by a moderator',
    removed: 'Original message was removed by a moderator',
  },
  typing: {
    one: '{name} is typing…',
    two: '{first} and {second} are typing…',
    several: 'Several people are typing…',
  },
  attachments: {
    /** Several files, for where only text fits (previews, notifications, quotes). */
    images: '📎 {n} image | 📎 {n} images',
    files: '📎 {n} file | 📎 {n} files',
    openImage: 'Open image {name}',
    imageFailed: 'Image not available',
    download: 'Download {name}, {size}',
    /** On a file's icon (a few letters, tiny) when its name has no extension to show instead. */
    kind: {
      image: 'IMG',
      audio: 'AUDIO',
      video: 'VIDEO',
      file: 'FILE',
    },
  },
  viewer: {
    /** The viewer's accessible name with several images: "cat.png, image 1 of 3". */
    position: '{name}, image {index} of {count}',
    download: 'Download',
    close: 'Close',
    previous: 'Previous image',
    next: 'Next image',
  },
  emoji: {
    menu: 'Add reaction',
    recent: 'Recently used',
    reactWith: 'React with {emoji}',
    loading: 'Loading emoji…',
    failed: 'Could not load the emoji picker.',
  },
  /** What the screen reader's live region reads out as messages from others arrive. */
  announce: {
    message: '{name}: {text}',
    files: 'sent a file | sent {n} files',
    /** Only for more than three at once (a reconnect's catch-up). */
    summary: '{n} new messages, the last from {name}',
  },
};
