/** Thrown by a store when its database cannot be reached; answered as `unavailable`. */
export class StoreUnavailableError extends Error {
  constructor(message = 'the database is unreachable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
