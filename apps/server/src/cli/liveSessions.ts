import { createAdapter } from '@socket.io/redis-adapter';
import { NAMESPACES } from '@confab/shared';
import { createClient, type RedisClientType } from 'redis';
import { Server } from 'socket.io';
import type { Logger } from '../logger.js';
import { userRoom } from '../realtime/rooms.js';
import { createRevocationFeed } from '../scaleout/revocationFeed.js';

// A user revocation ends every session of the user but this one; the command line has none, and
// a session id (24 base64url characters) never equals it.
const NO_SESSION_EXCEPTED = 'operator';

export interface InstanceNotifier {
  /**
   * Ends the user's live sockets on every instance, after their sessions were ended in the
   * database: at once through the Socket.IO Redis adapter, and durably through the revocation
   * feed (an instance that missed the broadcast checks the user's sessions against the database
   * within `SESSION_RECHECK_SECONDS`).
   */
  endUserSockets(userId: string): Promise<void>;
  /** Tells every instance that these users' role or deactivation changed (`users:changed`), so they read them again. */
  usersChanged(userIds: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Reaches the running instances through Redis, the way they reach each other. Connects only
 * when first used; fails with the reason when Redis cannot be reached.
 */
export function createInstanceNotifier(redisUrl: string, logger: Logger): InstanceNotifier {
  let opened: Promise<{ client: RedisClientType; subscriber: RedisClientType; io: Server }> | undefined;

  async function open() {
    const client = createClient({ url: redisUrl, socket: { connectTimeout: 5_000, reconnectStrategy: false } }) as RedisClientType;
    const subscriber = client.duplicate() as RedisClientType;
    for (const c of [client, subscriber]) c.on('error', () => {});
    await Promise.all([client.connect(), subscriber.connect()]);
    // A server that never listens: only its adapter is used, to publish what instances obey.
    const io = new Server();
    io.adapter(createAdapter(client, subscriber));
    return { client, subscriber, io };
  }
  const connection = () => (opened ??= open());

  // The adapter publishes without waiting; a PING answered on the same connection comes after it.
  const flushed = async (client: RedisClientType) => void (await client.ping());

  return {
    async endUserSockets(userId) {
      const { client, io } = await connection();
      for (const name of Object.values(NAMESPACES)) io.of(name).in(userRoom(userId)).disconnectSockets(true);
      await flushed(client);
      const feed = createRevocationFeed(client, { logger, onRevoked: () => {}, onRepositioned: () => {} });
      try {
        await feed.publish({ kind: 'user', userId, exceptSessionId: NO_SESSION_EXCEPTED });
      } finally {
        feed.stop();
      }
    },
    async usersChanged(userIds) {
      const { client, io } = await connection();
      // The instances listen on the lobby namespace's adapter (scaleout/adminSync.ts: `carrier`).
      io.of(NAMESPACES.lobby).serverSideEmit('users:changed', userIds);
      await flushed(client);
    },
    async close() {
      if (!opened) return;
      const connected = await opened.catch(() => undefined);
      // Not io.close(): it closes an engine this server never had. Its adapters go with their connections.
      if (connected) await Promise.allSettled([connected.client.close(), connected.subscriber.close()]);
    },
  };
}
