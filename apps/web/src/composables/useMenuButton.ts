import { nextTick, onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

const ITEMS = '[role^="menuitem"]';
/** Room kept between a menu and the edge of the window. */
const EDGE_MARGIN_PX = 8;

/**
 * The WAI-ARIA menu button pattern (https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/): the
 * button opens the menu on click, Enter or Space (focus on the checked item, else the first), Down
 * (first) or Up (last); in the menu Down and Up move with wrap-around, Home and End jump, Escape
 * closes and gives focus back to the button, Tab closes; a click elsewhere closes. Items are
 * found by role in the DOM, so the template stays plain markup. Bind `onMenuKeydown` on the menu.
 */
export function useMenuButton(elements: { root: Ref<HTMLElement | null>; button: Ref<HTMLElement | null>; menu: Ref<HTMLElement | null> }) {
  const isOpen = ref(false);
  const items = () => [...(elements.menu.value?.querySelectorAll<HTMLElement>(ITEMS) ?? [])];

  function focusItem(index: number): void {
    const all = items();
    all[(index + all.length) % all.length]?.focus();
  }

  /** The menu hangs from the button's edge, which on a phone may leave part of it off screen: slide it back in. */
  function keepInView(): void {
    const el = elements.menu.value;
    if (!el) return;
    const { left, right } = el.getBoundingClientRect();
    const limit = window.innerWidth - EDGE_MARGIN_PX;
    const shift = left < EDGE_MARGIN_PX ? EDGE_MARGIN_PX - left : right > limit ? limit - right : 0;
    el.style.transform = shift ? `translateX(${shift}px)` : '';
  }

  async function open(focus: 'checked' | 'first' | 'last' = 'checked'): Promise<void> {
    isOpen.value = true;
    await nextTick();
    keepInView();
    const checked = items().findIndex((item) => item.getAttribute('aria-checked') === 'true');
    focusItem(focus === 'last' ? -1 : focus === 'checked' && checked >= 0 ? checked : 0);
  }

  function close(returnFocus: boolean): void {
    isOpen.value = false;
    if (returnFocus) elements.button.value?.focus();
  }

  function toggle(): void {
    if (isOpen.value) close(false);
    else void open();
  }

  function onButtonKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    void open(event.key === 'ArrowUp' ? 'last' : 'first');
  }

  function onMenuKeydown(event: KeyboardEvent): void {
    const index = items().indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusItem(index + 1),
      ArrowUp: () => focusItem(index - 1),
      Home: () => focusItem(0),
      End: () => focusItem(-1),
      Escape: () => close(true),
    };
    if (event.key === 'Tab') close(false);
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    // Escape is this menu's: a dialog or view around it must not act on it too.
    event.stopPropagation();
    move();
  }

  function onDocumentClick(event: MouseEvent): void {
    if (isOpen.value && elements.root.value && !elements.root.value.contains(event.target as Node)) close(false);
  }
  onMounted(() => document.addEventListener('click', onDocumentClick));
  onBeforeUnmount(() => document.removeEventListener('click', onDocumentClick));

  return { isOpen, open, close, toggle, onButtonKeydown, onMenuKeydown };
}
