/** Words and choices shared by the whole app: the brand, the language and theme menus. */
export const common = {
  appName: 'Confab',
  justNow: 'just now',
  language: 'Language',
  languageSystem: 'Auto',
  theme: 'Theme',
  themeLight: 'Light',
  themeDark: 'Dark',
  themeSystem: 'System',
  signedInAs: 'Signed in as {username}',
  changePassword: 'Change password',
  /** The user menu's way to the invitation links, for members while admins allow it. */
  invitePeople: 'Invite people',
  signOut: 'Sign out',
  signOutLosingUnsent: 'You have {unsent} unsent message. Signing out deletes it and your drafts from this browser. Sign out anyway? | You have {unsent} unsent messages. Signing out deletes them and your drafts from this browser. Sign out anyway?',
  signOutLosingUploads: 'You have files still uploading. Signing out deletes them and your drafts from this browser. Sign out anyway?',
  signOutLosingBoth: 'You have {unsent} unsent message and files still uploading. Signing out deletes them and your drafts from this browser. Sign out anyway? | You have {unsent} unsent messages and files still uploading. Signing out deletes them and your drafts from this browser. Sign out anyway?',
};
