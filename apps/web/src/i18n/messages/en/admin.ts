/** Strings of the administration screen (see i18n/messages/en/index.ts for which files each area covers). */
export const admin = {
  title: 'Administration',
};
