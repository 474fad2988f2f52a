/** Strings of the auth area (see i18n/messages/en/index.ts for which files each area covers). */
export const auth = {
  signIn: {
    /** `server`: the server's name as its admin set it ("Confab" by default). */
    title: 'Sign in to {server}',
    subtitle: 'Welcome back. Pick up the conversation where you left it.',
    expired: 'Your session has ended. Sign in again to continue.',
    deactivated: 'This account has been deactivated. Contact an administrator.',
    submit: 'Sign in',
    submitting: 'Signing in…',
    newHere: 'New here? {link}',
    toSignUp: 'Create an account',
  },
  signUp: {
    title: 'Join {server}',
    subtitle: 'Create your account and start talking.',
    /** The heading while registration is closed (no form). */
    closedTitle: 'Sign-up is closed',
    /** The heading while registration is by invitation and the address has none (no form). */
    needsInvitationTitle: 'An invitation is needed',
    loading: 'Loading…',
    /** Above the form opened from an invitation link. */
    invited: 'You were invited. Create your account to join.',
    /** Instead of the form, while registration is closed. */
    closed: 'Registration on {server} is closed. Ask an administrator for an account.',
    /** Instead of the form, while registration is by invitation and the address has none. */
    needsInvitation: '{server} takes new accounts by invitation only. To join, open the invitation link you were given.',
    goToSignIn: 'Go to sign in',
    /** The server refused the form: registration closed (or became invitation only) meanwhile. */
    closedRefusal: 'This server does not take new accounts right now. Ask an administrator.',
    invitationInvalid: 'This invitation link is not valid: it may have expired, been used up or been revoked. Ask for a new one.',
    submit: 'Create account',
    submitting: 'Creating account…',
    haveAccount: 'Already have an account? {link}',
    toSignIn: 'Sign in',
  },
  fields: {
    username: 'Username',
    usernameHint: '{min}–{max} letters, digits, “.”, “_” or “-”.',
    displayName: 'Display name (optional)',
    displayNameHint: 'How others see you. Defaults to your username.',
    password: 'Password',
    passwordHint: 'At least {min} characters.',
  },
};
