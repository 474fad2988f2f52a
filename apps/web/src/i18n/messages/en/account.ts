/** Strings of the account area (see i18n/messages/en/index.ts for which files each area covers). */
export const account = {
  title: 'Account',
  topic: 'Change your password. Every other session ends when you do.',
  password: {
    heading: 'Change password',
    current: 'Current password',
    new: 'New password',
    newHint: 'At least {min} characters.',
    confirm: 'Confirm new password',
    mismatch: 'The new passwords do not match',
    submit: 'Change password',
    submitting: 'Changing…',
    changed: 'Your password is changed. Every other device and browser was signed out; this one stays signed in.',
    backToLobby: 'Back to #lobby',
  },
};
