/** Strings of the auth area (see i18n/messages/en/index.ts for which files each area covers). */
export const auth = {
  signIn: {
    title: 'Sign in to Confab',
    subtitle: 'Welcome back. Pick up the conversation where you left it.',
    expired: 'Your session has ended. Sign in again to continue.',
    submit: 'Sign in',
    submitting: 'Signing in…',
    newHere: 'New here? {link}',
    toSignUp: 'Create an account',
  },
  signUp: {
    title: 'Create your account',
    subtitle: 'Join the lobby and start talking.',
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
