/** Strings of the composer area (see i18n/messages/en/index.ts for which files each area covers). */
export const composer = {
  /** Key names shown in <kbd>: keyboards in many languages print them in English. */
  keys: {
    enter: 'Enter',
    shift: 'Shift',
    up: '↑',
    escape: 'Escape',
  },
  input: {
    counter: '{length} of {max} characters',
    send: 'Send message',
  },
  note: {
    waiting: 'Sending when uploads finish…',
    dontSendYet: "Don't send yet",
    offline: 'You are offline. Messages you send now will be delivered when the connection is back.',
    /** Slots: enter, shift, up (each a <kbd> with the key's name). */
    keys: '{enter} to send · {shift} + {enter} for a new line · {up} edits your last message',
  },
  attach: {
    button: 'Attach files',
  },
  attachment: {
    queued: 'Waiting to upload',
    uploading: 'Uploading, {percent}%',
    failed: 'Upload failed',
    done: 'Uploaded',
    progress: 'Uploading {name}',
    retry: 'Retry',
    retryNamed: 'Retry uploading {name}',
    cancel: 'Cancel upload',
    cancelNamed: 'Cancel uploading {name}',
    remove: 'Remove',
    removeNamed: 'Remove {name}',
  },
  attachments: {
    list: 'Attached files',
    dismiss: 'Dismiss',
    announceDone: '{name} uploaded.',
    announceFailed: '{name} failed to upload: {error}',
  },
  uploads: {
    tooLargeOne: '{name} is too large ({size}): files may be at most {max}.',
    tooLargeMany: '{n} file is too large: files may be at most {max}. | {n} files are too large: files may be at most {max}.',
    tooManyOne: 'A message can carry at most {max} files: {name} was not added.',
    tooManyMany: 'A message can carry at most {max} files: {n} file was not added. | A message can carry at most {max} files: {n} files were not added.',
    /** Two of the notices above, one after the other. */
    both: '{first} {second}',
    failed: '{name} could not be uploaded. Retry or remove it, then send again.',
    notSentFailed: 'Not sent: {name} could not be uploaded. Retry or remove it, then send again.',
    notSentInvalid: 'Not sent: the message cannot be sent as it is.',
  },
  dropZone: {
    hint: 'Drop files to attach them to your message',
  },
  mentions: {
    list: 'People to mention',
  },
  reply: {
    /** Slots: name (the author), excerpt (the quoted text). */
    replyingTo: 'Replying to {name}: {excerpt}',
    /** Slot: name (the original's author). */
    recalled: '{name} recalled the message you are replying to: yours will be sent without the quote.',
    removed: 'A moderator removed the message you are replying to: yours will be sent without the quote.',
    cancel: 'Cancel reply',
    cancelWithKey: 'Cancel reply (Escape)',
  },
  editor: {
    label: 'Edit message',
    saveFailed: 'Could not save: {error}',
    /** Why an emptied message is not saved (`reason`: the schema's words), and what to do instead. */
    blankRefused: '{reason}; recall it instead.',
    /** Slots: escape and enter (<kbd>), cancel and save (buttons). */
    keys: '{escape} to {cancel} · {enter} to {save}',
    cancel: 'cancel',
    save: 'save',
  },
};
