/** Strings of the composer area (see i18n/messages/en/index.ts for which files each area covers). */
export const composer = {};
