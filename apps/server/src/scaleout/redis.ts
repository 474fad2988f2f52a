import { createAdapter } from '@socket.io/redis-adapter';
import { createClient, type RedisClientType } from 'redis';
import type { Namespace, Server } from 'socket.io';
import type { Logger } from '../logger.js';

export type RedisConnectionName = 'client' | 'publisher' | 'subscriber';
export type RedisErrorListener = (connection: RedisConnectionName, kind: 'connection_error' | 'broadcast_lost') => void;

export interface RedisConnections {
  /** Commands (presence, readiness, the revocation feed); fails at once while Redis is unreachable. */
  client: RedisClientType;
  /** The adapter's publisher. */
  publisher: RedisClientType;
  /** The adapter's subscriber connection. */
  subscriber: RedisClientType;
  isReady(): boolean;
  /**
   * Calls `listener` each time the subscriber connection is back after an interruption (its
   * subscriptions restored): broadcasts from other instances may have been missed meanwhile.
   */
  onSubscriberRecovered(listener: () => void): void;
  /** Calls `listener` on each connection error and each cross-instance broadcast lost (the metrics count them). */
  onError(listener: RedisErrorListener): void;
  close(): Promise<void>;
}

/**
 * Opens the Redis connections the server needs. Presence commands fail at once while Redis is
 * unreachable (no offline queue), so nothing waits on it: messages are still stored and acked,
 * and the connections come back by themselves. The adapter's publisher keeps node-redis's
 * offline queue: the adapter does not handle publish failures, and broadcasts queued during an
 * outage are delivered when Redis returns (clients place them by seq, so late is harmless).
 */
export async function connectRedis(url: string, logger: Logger): Promise<RedisConnections> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000), connectTimeout: 5_000 },
  }) as RedisClientType;
  const subscriber = client.duplicate({ disableOfflineQueue: false }) as RedisClientType;
  const publisher = client.duplicate({ disableOfflineQueue: false }) as RedisClientType;
  const errorListeners: RedisErrorListener[] = [];
  const reportError: RedisErrorListener = (connection, kind) => errorListeners.forEach((listener) => listener(connection, kind));
  for (const [name, c] of [['client', client], ['publisher', publisher], ['subscriber', subscriber]] as const) {
    let isDown = false;
    c.on('error', (err: Error) => {
      reportError(name, 'connection_error');
      if (!isDown) logger.warn({ err: err.message, connection: name }, 'Redis connection failed; cross-instance fan-out is paused');
      isDown = true;
    });
    c.on('ready', () => {
      if (isDown) logger.info({ connection: name }, 'Redis connection is back');
      isDown = false;
    });
  }
  handlePublishFailures(publisher, logger, () => reportError('publisher', 'broadcast_lost'));
  const recoveryListeners: (() => void)[] = [];
  watchRecoveries(subscriber, client, () => recoveryListeners.forEach((listener) => listener()));
  await Promise.all([client.connect(), publisher.connect(), subscriber.connect()]);
  return {
    client,
    publisher,
    subscriber,
    isReady: () => client.isReady && publisher.isReady && subscriber.isReady,
    onSubscriberRecovered: (listener) => void recoveryListeners.push(listener),
    onError: (listener) => void errorListeners.push(listener),
    async close() {
      await Promise.allSettled([client.close(), publisher.close(), subscriber.close()]);
    },
  };
}

/**
 * Calls `onRecovered` once the subscriber is back after a drop and the command connection
 * answers too (the resync reads presence through it). node-redis resubscribes before it emits
 * `ready`, so the subscriber's `ready` after a drop means subscribed again.
 */
function watchRecoveries(subscriber: RedisClientType, client: RedisClientType, onRecovered: () => void): void {
  let wasInterrupted = false;
  const interrupted = () => (wasInterrupted = true);
  subscriber.on('error', interrupted);
  subscriber.on('reconnecting', interrupted);
  const maybeRecovered = () => {
    if (!wasInterrupted || !subscriber.isReady || !client.isReady) return;
    wasInterrupted = false;
    onRecovered();
  };
  subscriber.on('ready', maybeRecovered);
  client.on('ready', maybeRecovered);
}

/**
 * The adapter publishes without handling the returned promise, so a publish in flight when the
 * connection resets would be an unhandled rejection. It is a lost broadcast, which clients on
 * other instances recover through seq catch-up: log it and carry on.
 */
function handlePublishFailures(publisher: RedisClientType, logger: Logger, onLost: () => void): void {
  const publish = publisher.publish.bind(publisher);
  // The client's typings declare its commands read-only; replacing one on this instance is safe.
  (publisher as { publish: typeof publish }).publish = ((...args: Parameters<typeof publish>) => {
    const sent = publish(...args);
    sent.catch((err: Error) => {
      onLost();
      logger.warn({ err: err.message }, 'a cross-instance broadcast was lost; clients catch up by seq');
    });
    return sent;
  }) as typeof publish;
}

/** Switches the server to the Redis adapter, so broadcasts reach the sockets of every instance. */
export function useRedisAdapter(io: Server, redis: RedisConnections): void {
  io.adapter(createAdapter(redis.publisher, redis.subscriber));
}

/**
 * Resolves once each namespace's adapter is subscribed, so no broadcast from another instance
 * is lost in the first moments. The adapter subscribes its instance-specific response channel
 * after its pattern subscription on the same connection, and Redis runs them in order: once
 * that channel has a subscriber, both are in place.
 */
export async function waitForSubscriptions(redis: RedisConnections, namespaces: Namespace[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const nsp of namespaces) {
    const channel = (nsp.adapter as unknown as { specificResponseChannel?: string }).specificResponseChannel;
    if (!channel) throw new Error(`namespace ${nsp.name} does not use the Redis adapter`);
    for (;;) {
      const counts = await redis.client.pubSubNumSub(channel);
      if ((counts[channel] ?? 0) > 0) break;
      if (Date.now() > deadline) throw new Error(`the Redis adapter did not subscribe for ${nsp.name} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
