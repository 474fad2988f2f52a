/** Strings of the app area (see i18n/messages/en/index.ts for which files each area covers). */
export const app = {
  /** Each screen's name in the browser tab, before "· Confab". */
  titles: {
    lobby: '#lobby',
    dm: 'Direct message',
    channel: 'Channel',
    group: 'Conversation',
    account: 'Account',
    invitations: 'Invite people',
    signIn: 'Sign in',
    signUp: 'Create account',
  },
  /**
   * A form field's name inside a validation message. English shows the shared schemas' own
   * messages (lib/formErrors.ts), so these are the source for other languages only.
   */
  fields: {
    username: 'username',
    password: 'password',
    displayName: 'display name',
    currentPassword: 'current password',
    newPassword: 'new password',
    confirmPassword: 'password confirmation',
    name: 'name',
    topic: 'topic',
    body: 'message',
  },
  /** What a form says of a field the shared schemas refuse, `{field}` one of `fields`. */
  validation: {
    required: '{field} is required',
    tooShort: '{field} must be at least {min} characters',
    tooLong: '{field} must be at most {max} characters',
    invalid: '{field} is not valid',
    usernameCharacters: '{field} may hold only letters, digits, ".", "_" and "-"',
    channelNameCharacters: '{field} may hold only letters, digits, "-" and "_" (no spaces)',
    controlCharacter: '{field} contains a control character',
    invalidCharacter: '{field} contains an invalid character',
    visibleCharacter: '{field} must contain a visible character',
    hiddenCharacter: '{field} must not contain invisible or text-direction characters (found {character})',
    directionCharacter: '{field} must not contain text-direction characters',
    letterOrDigit: '{field} must hold a letter or a digit',
    reserved: '{field} is reserved',
  },
  form: {
    failed: 'Something went wrong. Try again.',
  },
  /** The client's own stand-ins for an answer the server did not give. */
  network: {
    unreachable: 'Cannot reach the server. Check your connection and try again.',
    serverTrouble: 'The server is having trouble. Try again in a moment.',
  },
  session: {
    signedOutMeanwhile: 'Signed out meanwhile.',
  },
};
