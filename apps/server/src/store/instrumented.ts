import type { Stores } from './ports.js';

type StoreName = Exclude<keyof Stores, 'isReady' | 'kind' | 'close'>;
// A record rather than a list, so that a store added to Stores and not named here fails the type check.
const TIMED: Record<StoreName, true> = {
  users: true,
  messages: true,
  reactions: true,
  files: true,
  sessions: true,
  conversations: true,
  rooms: true,
  notifySettings: true,
  settings: true,
  invitations: true,
  reports: true,
  audit: true,
};
const STORE_NAMES = Object.keys(TIMED) as StoreName[];

// Paced by the uploader's connection, not the store: timing it would fill the store histogram with network time.
const UNTIMED = new Set(['files.putBlob']);

/** Told about every store call: which store and method, how long it took, and whether it failed. */
export type StoreCallObserver = (store: StoreName, method: string, seconds: number, isFailure: boolean) => void;

/**
 * The same stores, each port method timed: a proxy per store, so any implementation (memory,
 * MongoDB) and any method added to a port later is measured without listing it here.
 */
export function instrumentStores(stores: Stores, observe: StoreCallObserver): Stores {
  const wrapped = Object.fromEntries(STORE_NAMES.map((name) => [name, timed(name, stores[name], observe)]));
  return {
    ...(wrapped as Pick<Stores, StoreName>),
    isReady: () => stores.isReady(),
    kind: stores.kind,
    close: () => stores.close(),
  };
}

function timed<T extends object>(store: StoreName, target: T, observe: StoreCallObserver): T {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, key) {
      const value: unknown = Reflect.get(obj, key, obj);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      if (!cache.has(key)) {
        const method = value as (...args: unknown[]) => unknown;
        if (UNTIMED.has(`${store}.${key}`)) return cache.set(key, method.bind(obj)).get(key);
        cache.set(key, (...args: unknown[]) => {
          const start = process.hrtime.bigint();
          const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
          try {
            const result = method.apply(obj, args);
            if (!(result instanceof Promise)) {
              observe(store, key, seconds(), false);
              return result;
            }
            return result.then(
              (v: unknown) => (observe(store, key, seconds(), false), v),
              (err: unknown) => {
                observe(store, key, seconds(), true);
                throw err;
              },
            );
          } catch (err) {
            observe(store, key, seconds(), true);
            throw err;
          }
        });
      }
      return cache.get(key);
    },
  });
}
