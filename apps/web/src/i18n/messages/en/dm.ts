/** Strings of the dm area (see i18n/messages/en/index.ts for which files each area covers). */
export const dm = {};
