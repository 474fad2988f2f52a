/** Strings of the account area (see i18n/messages/en/index.ts for which files each area covers). */
export const account = {};
