import { LIMITS, type PresenceDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/testing.js';
import { eventually, lobbyClient, settle, type LobbyClient } from './support/client.js';

// Connecting must cost each server O(1) per user, not O(users online): presence reaches every
// lobby socket in one batch per flush interval, not one message per user who connects. Counted
// in messages, not timed.

const FLUSH_MS = LIMITS.presenceFlushMs;

const servers: RunningServer[] = [];
const sockets: LobbyClient[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});

interface Observed {
  socket: LobbyClient;
  snapshots: number;
  batches: number;
  /** User ids this socket has heard of as online, from its snapshot and the batches after it. */
  online: Set<string>;
}

function observe(socket: LobbyClient): Observed {
  const observed: Observed = { socket, snapshots: 0, batches: 0, online: new Set() };
  socket.on('presence:snapshot', (presences: PresenceDto[]) => {
    observed.snapshots += 1;
    for (const p of presences) if (p.state === 'online') observed.online.add(p.userId);
  });
  socket.on('presence:changes', (changes: PresenceDto[]) => {
    observed.batches += 1;
    for (const p of changes) if (p.state === 'online') observed.online.add(p.userId);
  });
  return observed;
}

/** Connects one socket per user, 100 at a time, as fast as the server admits them. */
async function connectUsers(server: RunningServer, count: number): Promise<Observed[]> {
  const users = await Promise.all(Array.from({ length: count }, () => server.seedUser()));
  const observed: Observed[] = [];
  for (let i = 0; i < users.length; i += 100) {
    const batch = users.slice(i, i + 100).map((user) => observe(lobbyClient(server.url, { cookie: user.cookie })));
    sockets.push(...batch.map((o) => o.socket));
    await Promise.all(batch.map(({ socket }) => new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    })));
    observed.push(...batch);
  }
  return observed;
}

describe('connecting many users', () => {
  it('costs every lobby socket one presence batch per flush interval, not one message per user who connects, and everyone learns of everyone', async () => {
    const server = await startServer({ config: { presenceFlushMs: FLUSH_MS } });
    servers.push(server);

    const first = await connectUsers(server, 200);
    const startedAt = performance.now();
    const second = await connectUsers(server, 800);
    const everyone = [...first, ...second];
    // Every socket ends up knowing all 1,000 users are online: batching loses nothing.
    await eventually(() => expect(everyone.filter((o) => o.online.size < 1_000)).toEqual([]), 15_000);
    const elapsedMs = performance.now() - startedAt;
    await settle(2 * FLUSH_MS);

    for (const o of everyone) expect(o.snapshots).toBe(1);
    // One of the first 200 heard of 800 connects: in at most one batch per interval (plus the
    // sweep's re-announcement), where one message per connect would be 800.
    const bound = Math.ceil((elapsedMs + 2 * FLUSH_MS) / FLUSH_MS) + 3;
    const mostBatches = Math.max(...first.map((o) => o.batches));
    expect(mostBatches).toBeLessThanOrEqual(bound);
    expect(mostBatches).toBeLessThan(800 / 4);
  });
});
