import { type MessageDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/store/memory/index.js';
import type { Stores } from '../src/store/ports.js';
import { startServer } from '../src/testing.js';
import { eventually, registerUser, settle } from './support/client.js';
import { connectDm, dmRequest, type DmClient } from './support/dmClient.js';

const sockets: DmClient[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

/**
 * The stores, with every call to the users, messages and conversations ports counted, and the
 * first unread count (the last call of the first conversation update) held until `release`.
 */
function counted(stores: Stores) {
  let calls = 0;
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let isHolding = false;
  const spy = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, key) {
        const value: unknown = Reflect.get(obj, key, obj);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          calls += 1;
          if (key === 'countUnread' && !isHolding) {
            isHolding = true;
            await held;
          }
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  return {
    stores: { ...stores, users: spy(stores.users), messages: spy(stores.messages), conversations: spy(stores.conversations) } as Stores,
    calls: () => calls,
    isHolding: () => isHolding,
    release: () => release(),
  };
}

describe('closing the server', () => {
  it('drops the conversation updates it had deferred: a closed server makes no store call for them', async () => {
    const { stores, calls, isHolding, release } = counted(createMemoryStores());
    const server = await startServer({ stores });
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    const bob = await registerUser(server.url, { displayName: 'Bob' });
    const tab = await connectDm(server.url, alice);
    sockets.push(tab);
    // The first send's update runs at once and is held at its last store call; the next two
    // sends' update waits for it, to run once it is done.
    for (let i = 0; i < 3; i += 1) {
      const ack = await dmRequest<MessageDto>(tab, 'dm:send', { to: bob.user.id, clientId: `c${i}`, body: `m${i}` });
      expect(ack.ok).toBe(true);
    }
    await eventually(() => expect(isHolding()).toBe(true));
    await server.close();
    const atClose = calls();
    release();
    await settle(300);
    expect(calls()).toBe(atClose);
  });
});
