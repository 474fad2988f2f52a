import { createI18n } from 'vue-i18n';
import { en, type Catalogue } from './messages/en';
import { APP_LOCALES, DEFAULT_LOCALE, type AppLocale } from './locales';
import { pluralRule } from './plurals';

/** `'chat.recalled'`: the dotted path of one message in the English catalogue. */
export type MessageKey = Paths<Catalogue>;
type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Paths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Values for a message's `{name}` placeholders. */
export type MessageValues = Record<string, string | number>;

/**
 * The app's one vue-i18n instance (Composition API, no legacy mode). Messages are compiled just
 * in time, without `eval`, so the CSP needs nothing more. Only English is bundled; another
 * language's catalogue is loaded by {@link loadLocale}.
 */
export const i18n = createI18n({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: { [DEFAULT_LOCALE]: en } as Record<string, Catalogue>,
  pluralRules: Object.fromEntries(APP_LOCALES.map((locale) => [locale, pluralRule(locale)])),
  // catalogues.test.ts finds missing keys before a build ships; a user should never see a warning.
  missingWarn: false,
  fallbackWarn: false,
});

/**
 * The message `key` in the current language, with `values` put in its placeholders; with `count`,
 * the plural form for that number (`{n}` and `{count}` then hold it). Reactive: a template or a
 * computed that calls it follows a change of language.
 */
export function t(key: MessageKey, values?: MessageValues, count?: number): string {
  if (count !== undefined) return i18n.global.t(key, values ?? {}, count);
  return values ? i18n.global.t(key, values) : i18n.global.t(key);
}

/** The message `key` in English whatever the language on screen: for text that leaves the screen (a protocol-shaped error's `message`). */
export function english(key: MessageKey, values?: MessageValues): string {
  return i18n.global.t(key, values ?? {}, { locale: DEFAULT_LOCALE });
}

/** Whether `key` exists in the current language or the fallback; for keys made at run time (error codes). */
export function hasMessage(key: string): boolean {
  return i18n.global.te(key) || i18n.global.te(key, DEFAULT_LOCALE);
}

/** Like {@link t}, for a key made at run time; the caller has checked it with {@link hasMessage}. */
export function tDynamic(key: string, values?: MessageValues): string {
  return values ? i18n.global.t(key, values) : i18n.global.t(key);
}

/** The language on screen. Reactive. */
export function currentLocale(): AppLocale {
  return i18n.global.locale.value as AppLocale;
}

/** Each other language's catalogue, a chunk of its own fetched when first chosen. */
const CATALOGUE_LOADERS: Record<Exclude<AppLocale, typeof DEFAULT_LOCALE>, () => Promise<Catalogue>> = {
  'zh-CN': () => import('./messages/zh-CN').then(({ zhCN }) => zhCN as Catalogue),
};
const loaded = new Set<AppLocale>([DEFAULT_LOCALE]);

let latestRequest: AppLocale = DEFAULT_LOCALE;

/**
 * Fetches `locale`'s catalogue (once) and puts it on screen, with `<html lang>`. Rejects when the
 * fetch fails (offline): the language stays as it was. When another language was asked for while
 * this one loaded, the later request wins.
 */
export async function loadLocale(locale: AppLocale): Promise<void> {
  latestRequest = locale;
  if (locale !== DEFAULT_LOCALE && !loaded.has(locale)) {
    const messages = await CATALOGUE_LOADERS[locale]();
    i18n.global.setLocaleMessage(locale, messages);
    loaded.add(locale);
    if (latestRequest !== locale) return;
  }
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}
