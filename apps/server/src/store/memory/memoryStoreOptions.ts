/** How a memory store is built: empty, or from what an earlier `saved()` returned. */
export interface MemoryStoreOptions<T> {
  /** What an earlier `saved()` returned: the store starts with it. */
  saved?: T;
  /** Called after every change, so a caller can write the state out. */
  onChange?: () => void;
}
