/** Strings of the auth area (see i18n/messages/en/index.ts for which files each area covers). */
export const auth = {};
