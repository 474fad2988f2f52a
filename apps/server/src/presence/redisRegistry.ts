import type { RedisClientType } from 'redis';
import type { ConnectionEntry, PresenceRegistry } from './registry.js';

type State = 'online' | 'away' | 'offline';

// Sets the user's published state and answers 1 only when it changed, atomically, so that of
// several instances evaluating the same change exactly one publishes it.
const CLAIM_CHANGE = `
local current = redis.call('HGET', KEYS[1], ARGV[1]) or 'offline'
if current == ARGV[2] then return 0 end
if ARGV[2] == 'offline' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

// Records a last-seen time unless a later one is there (ISO 8601 strings compare as times).
const RECORD_LAST_SEEN = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (not current) or current < ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 0`;

interface StoredConnection {
  userId: string;
  lastActiveAt: string;
}

/**
 * Presence shared by every instance through Redis. Each instance keeps its connections in a
 * hash of its own and holds a lease key it renews; when an instance dies its lease expires, and
 * whichever instance reaps first records its users' last-seen time and drops its connections.
 * The next sweep then finds those users offline and publishes it, once.
 *
 * Each instance also keeps its own connections in memory, the source of truth for its hash: if
 * Redis loses its data (a restart without persistence) or the instance was reaped after a long
 * stall, its next lease renewal finds the lease gone and writes everything back.
 */
export class RedisPresenceRegistry implements PresenceRegistry {
  readonly #redis: RedisClientType;
  readonly #instanceId: string;
  readonly #leaseMs: number;
  readonly #prefix: string;
  readonly #own = new Map<string, StoredConnection>();
  #renewal: NodeJS.Timeout | undefined;

  constructor(redis: RedisClientType, options: { instanceId: string; leaseMs: number; prefix?: string }) {
    this.#redis = redis;
    this.#instanceId = options.instanceId;
    this.#leaseMs = options.leaseMs;
    this.#prefix = options.prefix ?? 'confab:presence';
  }

  #key(...parts: string[]): string {
    return [this.#prefix, ...parts].join(':');
  }

  /** Takes this instance's lease and keeps renewing it (a third of its lifetime), until `close`. */
  async start(): Promise<void> {
    await this.reassert();
    this.#renewal = setInterval(() => void this.#renew().catch(() => {}), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#renewal.unref();
  }

  async #renew(): Promise<void> {
    // XX: renew only a lease that is still there; a missing one means our entries are gone too.
    const renewed = await this.#redis.set(this.#key('lease', this.#instanceId), '1', { PX: this.#leaseMs, XX: true });
    if (renewed !== 'OK') await this.reassert();
  }

  /** Writes this instance's lease, membership and connections (again). */
  async reassert(): Promise<void> {
    await this.#redis.set(this.#key('lease', this.#instanceId), '1', { PX: this.#leaseMs });
    await this.#redis.sAdd(this.#key('instances'), this.#instanceId);
    if (this.#own.size === 0) return;
    const entries = Object.fromEntries([...this.#own].map(([id, stored]) => [id, JSON.stringify(stored)]));
    await this.#redis.hSet(this.#key('connections', this.#instanceId), entries);
  }

  async add(entry: ConnectionEntry): Promise<void> {
    const value: StoredConnection = { userId: entry.userId, lastActiveAt: entry.lastActiveAt.toISOString() };
    this.#own.set(entry.connectionId, value);
    await this.#redis.hSet(this.#key('connections', this.#instanceId), entry.connectionId, JSON.stringify(value));
  }

  async markActive(connectionId: string, at: Date): Promise<void> {
    const stored = this.#own.get(connectionId);
    if (!stored || at.toISOString() <= stored.lastActiveAt) return;
    const value = { ...stored, lastActiveAt: at.toISOString() };
    this.#own.set(connectionId, value);
    await this.#redis.hSet(this.#key('connections', this.#instanceId), connectionId, JSON.stringify(value));
  }

  async remove(connectionId: string, at: Date): Promise<void> {
    const stored = this.#own.get(connectionId);
    if (!stored) return;
    this.#own.delete(connectionId);
    await this.#redis.hDel(this.#key('connections', this.#instanceId), connectionId);
    await this.#recordLastSeen(stored.userId, at);
  }

  async #recordLastSeen(userId: string, at: Date): Promise<void> {
    await this.#redis.eval(RECORD_LAST_SEEN, { keys: [this.#key('lastSeen')], arguments: [userId, at.toISOString()] });
  }

  async connections(userIds?: readonly string[]): Promise<ConnectionEntry[]> {
    const wanted = userIds ? new Set(userIds) : null;
    const entries: ConnectionEntry[] = [];
    for (const instanceId of await this.#liveInstances()) {
      const all = await this.#redis.hGetAll(this.#key('connections', instanceId));
      for (const [connectionId, raw] of Object.entries(all)) {
        const stored = JSON.parse(raw) as StoredConnection;
        if (wanted && !wanted.has(stored.userId)) continue;
        entries.push({ connectionId, userId: stored.userId, instanceId, lastActiveAt: new Date(stored.lastActiveAt) });
      }
    }
    return entries;
  }

  async #liveInstances(): Promise<string[]> {
    const instances = await this.#redis.sMembers(this.#key('instances'));
    const alive = await Promise.all(instances.map((id) => this.#redis.exists(this.#key('lease', id))));
    return instances.filter((_, i) => alive[i] === 1);
  }

  async lastSeen(userIds: readonly string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) return new Map();
    const values = await this.#redis.hmGet(this.#key('lastSeen'), [...userIds]);
    return new Map(userIds.flatMap((id, i) => (values[i] ? [[id, new Date(values[i]!)] as const] : [])));
  }

  async claimChange(userId: string, state: State): Promise<boolean> {
    const changed = await this.#redis.eval(CLAIM_CHANGE, { keys: [this.#key('published')], arguments: [userId, state] });
    return changed === 1;
  }

  async trackedUsers(): Promise<string[]> {
    return this.#redis.hKeys(this.#key('published'));
  }

  async reapExpired(now: Date): Promise<void> {
    const instances = await this.#redis.sMembers(this.#key('instances'));
    for (const instanceId of instances) {
      if (instanceId === this.#instanceId || (await this.#redis.exists(this.#key('lease', instanceId))) === 1) continue;
      const key = this.#key('connections', instanceId);
      for (const raw of Object.values(await this.#redis.hGetAll(key))) {
        await this.#recordLastSeen((JSON.parse(raw) as StoredConnection).userId, now);
      }
      await this.#redis.del(key);
      await this.#redis.sRem(this.#key('instances'), instanceId);
    }
  }

  /** A clean stop: this instance's connections go at once instead of when the lease expires. */
  async close(): Promise<void> {
    clearInterval(this.#renewal);
    this.#own.clear();
    try {
      await this.#redis.del([this.#key('connections', this.#instanceId), this.#key('lease', this.#instanceId)]);
      await this.#redis.sRem(this.#key('instances'), this.#instanceId);
    } catch {
      // Redis is gone; the lease expires by itself.
    }
  }
}
