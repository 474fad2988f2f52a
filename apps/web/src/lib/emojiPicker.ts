// Loaded only when someone opens the full emoji picker (a dynamic import in ChatEmojiPicker), so
// neither the web component nor its data is in the initial bundle.
import Picker from 'emoji-picker-element/picker.js';
// The emoji data is served by Confab itself, as a build asset: many self-hosted servers, and
// their users, have no access to a CDN.
import dataSource from 'emoji-picker-element-data/en/emojibase/data.json?url';

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

/** A new `<emoji-picker>` reading its data from this server. Its `emoji-click` event's `detail.unicode` is the emoji picked. */
export function createEmojiPicker(): HTMLElement {
  const picker = new Picker({ dataSource, locale: 'en' });
  if (picker.shadowRoot) applyStylesUnderCsp(picker.shadowRoot);
  return picker;
}
