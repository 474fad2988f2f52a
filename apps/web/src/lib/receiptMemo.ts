import type { Receipt } from './receipts';

function sameReceipt(a: Receipt, b: Receipt): boolean {
  if (a.state !== b.state) return false;
  const x = a.seenBy ?? [];
  const y = b.seenBy ?? [];
  return x.length === y.length && x.every((name, i) => name === y[i]);
}

/**
 * Receipts as a list hands them to its rows: a receipt is worked out afresh at every render of
 * the list, and a new object would make its row render again although it reads the same. Each
 * row (by key) keeps the object it was given until what it says changes.
 */
export function createReceiptMemo() {
  const held = new Map<string, Receipt>();
  return (key: string, next: Receipt | null): Receipt | null => {
    if (!next) {
      held.delete(key);
      return null;
    }
    const kept = held.get(key);
    if (kept && sameReceipt(kept, next)) return kept;
    held.set(key, next);
    return next;
  };
}
