import { onMounted, onUpdated, ref, type Ref } from 'vue';

const ROW = '[data-testid="message"]';

/**
 * Keyboard access to the message rows, one Tab stop for the whole list (a roving tabindex, as in
 * Slack's message list): the row last focused (else the newest) takes Tab; Up and Down move
 * between rows, Home and End to the first and last. A focused row shows its actions, which Tab
 * then reaches. Rows are found in the DOM, so the list's rendering stays as it is.
 */
export function useRowFocus(rows: Ref<HTMLElement | null>) {
  /** The row last focused; until there is one (or once it is gone), the newest takes Tab. */
  let current: HTMLElement | null = null;
  /** Whether a row takes Tab; while none does (a room of events only), the list itself must, to scroll. */
  const hasRows = ref(false);

  const allRows = () => [...(rows.value?.querySelectorAll<HTMLElement>(ROW) ?? [])];

  /** Every row focusable from script, exactly one from Tab. */
  function sync(): void {
    const all = allRows();
    const stop = current?.isConnected ? current : all.at(-1);
    // Written only where it changes: after a burst, rewriting every row's attribute would restyle them all.
    for (const row of all) {
      const tabIndex = row === stop ? '0' : '-1';
      if (row.getAttribute('tabindex') !== tabIndex) row.setAttribute('tabindex', tabIndex);
    }
    hasRows.value = all.length > 0;
  }

  function onFocusin(event: FocusEvent): void {
    const row = (event.target as Element | null)?.closest?.<HTMLElement>(ROW);
    if (!row || row === current) return;
    current = row;
    sync();
  }

  function onKeydown(event: KeyboardEvent): void {
    const row = event.target as HTMLElement;
    // Only on a row itself: inside one, the keys belong to its controls (the editor, a link).
    if (!row.matches?.(ROW) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const all = allRows();
    const at = all.indexOf(row);
    const targets: Record<string, HTMLElement | undefined> = { ArrowUp: all[at - 1], ArrowDown: all[at + 1], Home: all[0], End: all.at(-1) };
    if (!(event.key in targets)) return;
    event.preventDefault();
    targets[event.key]?.focus();
  }

  onMounted(sync);
  onUpdated(sync);

  return { onFocusin, onKeydown, hasRows };
}
