// Loaded only when someone opens the full emoji picker (a dynamic import in ChatEmojiPicker), so
// neither the web component nor its data is in the initial bundle.
import Picker from 'emoji-picker-element/picker.js';
import english from 'emoji-picker-element/i18n/en.js';
import type { I18n } from 'emoji-picker-element/shared';
// The emoji data is served by Confab itself, as a build asset: many self-hosted servers, and
// their users, have no access to a CDN.
import englishData from 'emoji-picker-element-data/en/emojibase/data.json?url';
import chineseData from 'emoji-picker-element-data/zh/cldr/data.json?url';
import type { AppLocale } from '../i18n/locales';

/**
 * Each language's emoji names and keywords: what the picker's search matches and what its buttons
 * are called. One file is fetched, the reader's. Chinese is CLDR's: its pinyin shortcodes let a
 * reader search with Latin letters too ("xin" finds the hearts). The picker matches words from
 * their start and only from two characters up, so "猫咪" finds the cat and "猫" alone does not.
 */
const DATA: Readonly<Record<AppLocale, { locale: string; dataSource: string }>> = {
  en: { locale: 'en', dataSource: englishData },
  'zh-CN': { locale: 'zh', dataSource: chineseData },
};

/** The picker's own words; other languages than English are chunks of their own, fetched only by their readers. */
const STRINGS: Readonly<Record<AppLocale, () => I18n | Promise<I18n>>> = {
  en: () => english,
  'zh-CN': () => import('emoji-picker-element/i18n/zh_CN.js').then((module) => module.default),
};

async function optionsFor(language: AppLocale): Promise<{ locale: string; dataSource: string; i18n: I18n }> {
  return { ...DATA[language], i18n: await STRINGS[language]() };
}

/**
 * The picker styles its shadow DOM with a `<style>` element and `style` attributes, both of which
 * Confab's Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline') refuses. Style sheets
 * built with CSSStyleSheet and styles set through the CSSOM are not inline styles in CSP's sense,
 * so the same CSS is applied that way: the sheet adopted once, each `style` attribute mirrored
 * into `element.style` whenever the picker writes one.
 */
function applyStylesUnderCsp(root: ShadowRoot): void {
  const css = [...root.querySelectorAll('style')].map((style) => style.textContent ?? '').join('\n');
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  const mirror = (el: Element) => {
    const wanted = el.getAttribute('style');
    if (wanted !== null && el instanceof HTMLElement && el.style.cssText !== wanted) el.style.cssText = wanted;
  };
  const mirrorAll = (node: ParentNode) => node.querySelectorAll('[style]').forEach(mirror);
  mirrorAll(root);
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') mirror(record.target as Element);
      else record.addedNodes.forEach((node) => node instanceof Element && (mirror(node), mirrorAll(node)));
    }
  }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
}

/**
 * A new `<emoji-picker>` in `language`, reading its data from this server. Its `emoji-click`
 * event's `detail.unicode` is the emoji picked.
 */
export async function createEmojiPicker(language: AppLocale): Promise<HTMLElement> {
  // Given at once: a picker made without them would start fetching English data from a CDN.
  const picker = new Picker(await optionsFor(language));
  if (picker.shadowRoot) applyStylesUnderCsp(picker.shadowRoot);
  return picker;
}

/** Puts a picker made by {@link createEmojiPicker} in another language (changed in another tab, or the browser's, while it is open). */
export async function setEmojiPickerLanguage(picker: HTMLElement, language: AppLocale): Promise<void> {
  Object.assign(picker as Picker, await optionsFor(language));
}
