/**
 * Records with ids that grow with time (`newObjectIdHex`), newest first: those with an id below
 * `before` when given, at most `limit`.
 */
export function newestFirstPage<T extends { id: string }>(records: Iterable<T>, query: { before?: string; limit: number }): T[] {
  const { before } = query;
  return [...records]
    .filter((r) => before === undefined || r.id < before)
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, query.limit);
}
