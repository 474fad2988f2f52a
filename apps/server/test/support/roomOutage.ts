import mongoose from 'mongoose';
import type { RunningServer, Stores } from '../../src/testing.js';
import type { NewChannel } from '../../src/store/ports.js';
import { eventually } from './client.js';
import { startCuttableProxy, type CuttableProxy } from './cuttableProxy.js';

/** One instance's TCP link to the shared redis-server, which a test can cut and restore. */
export type RedisLink = CuttableProxy;

/** A link to the redis-server on `redisPort`; give the instance its `url` (`redis://127.0.0.1:PORT`). */
export async function startRedisLink(redisPort: number): Promise<RedisLink> {
  const proxy = await startCuttableProxy(redisPort);
  return { ...proxy, url: proxy.url.replace(/^mongodb:/, 'redis:') };
}

async function readiness(server: RunningServer): Promise<number> {
  return (await fetch(`${server.url}/readyz`)).status;
}

/** Resolves once the instance reports itself not ready: it has noticed its Redis connections drop. */
export function untilRedisLost(server: RunningServer): Promise<void> {
  return eventually(async () => {
    if ((await readiness(server)) !== 503) throw new Error(`${server.url} still reports Redis up`);
  }, 5_000);
}

/**
 * Resolves once the instance is ready again. Its connections retry with a back-off of up to 2 s
 * (scaleout/redis.ts), so this may take that long after the link is restored.
 */
export function untilRedisBack(server: RunningServer): Promise<void> {
  return eventually(async () => {
    if ((await readiness(server)) !== 200) throw new Error(`${server.url} is not ready yet`);
  }, 8_000);
}

/** Resolves on the socket's next `resync` (sent after the instance has put its sockets back in their rooms). */
export function nextResync(socket: { once(event: 'resync', listener: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => socket.once('resync', () => resolve()));
}

const INJECTED = 'injected failure: the owner membership was not written';

/**
 * The real memory store, whose next channel create after `failNext()` fails between its two
 * writes. That store writes the channel and its owner's membership in one synchronous step, so
 * nothing can fail between them; the injection leaves what a failed second write leaves in the
 * MongoDB store (the channel stored, holding its name, with nobody in it) by taking the owner's
 * membership back out through the store's own `removeMember`, then fails the call. Every other
 * call is the store's.
 */
export function withFailingChannelCreate(stores: Stores): { stores: Stores; failNext(): void } {
  let isArmed = false;
  const rooms = new Proxy(stores.rooms, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const call = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (property !== 'createChannel') return call;
      return async (channel: NewChannel) => {
        if (!isArmed) return call(channel);
        isArmed = false;
        const created = await target.createChannel(channel);
        if (created !== 'name_taken') await target.removeMember(created.id, channel.createdBy);
        throw new Error(INJECTED);
      };
    },
  });
  return { stores: { ...stores, rooms }, failNext: () => void (isArmed = true) };
}

type CreateStatic = (...docs: unknown[]) => Promise<unknown>;

/**
 * Makes the next owner-membership insert of the MongoDB stores on database `dbName` fail, once:
 * the channel document is written, its owner's membership is not (the store's second write).
 * Everything else, that insert's retry included, reaches the database as usual.
 */
export function failNextOwnerMembershipInsert(dbName: string): void {
  const connection = mongoose.connections.find((c) => c.name === dbName && c.readyState === mongoose.ConnectionStates.connected);
  if (!connection) throw new Error(`no open mongoose connection to ${dbName}`);
  const model = connection.model('Membership') as unknown as { create: CreateStatic };
  const isInherited = !Object.hasOwn(model, 'create');
  const original = model.create;
  model.create = function (this: unknown, ...docs: unknown[]) {
    if ((docs[0] as { role?: string } | undefined)?.role !== 'owner') return original.apply(this, docs);
    if (isInherited) delete (model as { create?: CreateStatic }).create;
    else model.create = original;
    return Promise.reject(new Error(INJECTED));
  };
}

/**
 * The shared store as one instance sees it, in which the next `roomsOf(userId)` after `arm(userId)`
 * waits, once it has read, until the test calls `open()`: a slow database round trip placed
 * exactly where a race needs it. `arrived` resolves when that call has read and is waiting.
 */
export function holdNextRoomsOf(stores: Stores) {
  let watched: string | undefined;
  let arrive!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  const rooms = new Proxy(stores.rooms, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const call = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (property !== 'roomsOf') return call;
      return async (userId: string) => {
        const isHeld = userId === watched;
        if (isHeld) watched = undefined;
        const read = await call(userId);
        if (isHeld) {
          arrive();
          await gate;
        }
        return read;
      };
    },
  });
  return { view: { ...stores, rooms }, arm: (userId: string) => void (watched = userId), arrived, open: () => open() };
}
