/** The languages the web app speaks, as BCP 47 tags (what `<html lang>` and `Intl` take). */
export const APP_LOCALES = ['en', 'zh-CN'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

/** Bundled with the app and used for any key another catalogue lacks. */
export const DEFAULT_LOCALE = 'en' satisfies AppLocale;

/** Each language's name in itself: a reader looks for their own language's name, not a translation of it. */
export const LANGUAGE_NAMES: Readonly<Record<AppLocale, string>> = { en: 'English', 'zh-CN': '简体中文' };

export function isAppLocale(value: unknown): value is AppLocale {
  return APP_LOCALES.includes(value as AppLocale);
}

/**
 * The first of the browser's languages (`navigator.languages`, most preferred first) that the app
 * speaks; English when none is. Every Chinese tag (zh, zh-Hans, zh-TW, zh-HK …) gets Simplified
 * Chinese, the one Chinese catalogue: closer for a Traditional reader than English.
 */
export function matchLocale(languages: readonly string[]): AppLocale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().replaceAll('_', '-').split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return DEFAULT_LOCALE;
}
