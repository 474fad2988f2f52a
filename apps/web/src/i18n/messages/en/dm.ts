/** Strings of the dm area (see i18n/messages/en/index.ts for which files each area covers). */
export const dm = {
  notesToSelf: 'Notes to self',
  sidebar: {
    title: 'Direct messages',
    empty: 'No conversations yet.',
    findSomeone: 'Find someone',
  },
  /** The sidebar's one-line preview of a conversation's newest message. */
  preview: {
    own: 'You: {text}',
    recalledByMe: 'You recalled a message',
    recalledBy: '{name} recalled a message',
    removed: 'Message removed by a moderator',
  },
  directory: {
    title: 'New message',
    hint: 'Pick one person for a direct message, or add up to {max} for a group conversation.',
    openConversation: 'Open conversation',
    startGroup: 'Start group of {n}',
  },
  notFound: {
    pageTitle: 'No such user',
    headerTitle: 'Direct message',
    title: 'No user named “{name}”',
    /** `{plus}` is the "+" button's sign, `{section}` the sidebar section's title. */
    hint: 'Check the spelling, or look people up with the {plus} next to “{section}”.',
  },
  view: {
    label: 'Conversation with {name}',
    selfTopic: "{'@'}{username} · Only you can see these",
    selfIntro: 'A private space: jot down drafts, links and to-dos. Nobody else can read it.',
    intro: 'This is the beginning of your direct messages with {name}. Only the two of you can read them.',
    selfComposerLabel: 'Jot something down',
    composerLabel: 'Message {name}',
    openFailed: 'Could not open this conversation: {error}',
    tryAgain: 'Try again',
    opening: 'Opening the conversation…',
  },
};
