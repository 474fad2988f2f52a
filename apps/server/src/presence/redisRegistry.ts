import type { RedisClientType } from 'redis';
import type { ClaimResult, ConnectionEntry, PresenceRegistry, PresenceState, PublishedPresence, PublishedStates } from './registry.js';
import { CLAIM_CHANGE, PRUNE_OFFLINE, PUT_USER, READ_PUBLISHED, REAP_INSTANCE, REPLACE_USERS } from './redisScripts.js';

/** One of this instance's sockets, as it keeps it in memory. */
interface OwnConnection {
  userId: string;
  lastActiveAt: Date;
}

/** A user's connections on one instance, as stored: connection id → last active (ISO time). */
type StoredUser = Record<string, string>;

/**
 * Presence shared by every instance through Redis. Each instance keeps its connections in a
 * hash of its own, one field per user holding that user's connections there, and holds a lease
 * key it renews; when an instance dies its lease expires, and whichever instance reaps first
 * records its users' last-seen time and drops its hash. The next sweep then finds those users
 * offline and publishes it, once.
 *
 * Reading one user costs one HMGET per live instance, whatever the number online: a connect
 * reads only its own user, and only the sweep reads everyone.
 *
 * Every change of a user's connections bumps their version, and the published states carry a
 * revision that only grows (see `claimChange`).
 *
 * Each instance also keeps its own connections in memory, the source of truth for its hash: if
 * Redis loses its data (a restart without persistence) or the instance was reaped after a long
 * stall, its next lease renewal finds the lease gone and writes everything back; if one of its
 * writes failed (a blip on the connection), the next renewal replaces its hash with what it holds.
 */
export class RedisPresenceRegistry implements PresenceRegistry {
  readonly #redis: RedisClientType;
  readonly #instanceId: string;
  readonly #leaseMs: number;
  readonly #prefix: string;
  readonly #own = new Map<string, OwnConnection>();
  readonly #ownByUser = new Map<string, Set<string>>();
  #renewal: NodeJS.Timeout | undefined;
  // A write of ours failed: Redis may hold a user we no longer do (a ghost) or miss one.
  #isOutOfStep = false;

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
    // A reaper that read our lease as expired just before a reassert can still delete what the
    // reassert wrote, and drop us from the instance set: then the lease is back but we are not.
    const isMember = renewed === 'OK' && (await this.#redis.sIsMember(this.#key('instances'), this.#instanceId));
    if (!isMember || this.#isOutOfStep) await this.reassert();
  }

  /** Writes this instance's lease, membership and connections (again). */
  async reassert(): Promise<void> {
    await this.#redis.set(this.#key('lease', this.#instanceId), '1', { PX: this.#leaseMs });
    await this.#redis.sAdd(this.#key('instances'), this.#instanceId);
    // Cleared first: a write failing from here on asks for another pass.
    this.#isOutOfStep = false;
    const held = [...this.#ownByUser.keys()].flatMap((userId) => [userId, this.#storedUser(userId)]);
    try {
      await this.#redis.eval(REPLACE_USERS, {
        keys: [this.#key('users', this.#instanceId), this.#key('versions'), this.#key('lastSeen')],
        arguments: [new Date().toISOString(), ...held],
      });
    } catch (err) {
      this.#isOutOfStep = true;
      throw err;
    }
  }

  /** The user's connections on this instance as stored, from memory. */
  #storedUser(userId: string): string {
    const stored: StoredUser = {};
    for (const id of this.#ownByUser.get(userId) ?? []) stored[id] = this.#own.get(id)!.lastActiveAt.toISOString();
    return JSON.stringify(stored);
  }

  async add(entry: ConnectionEntry): Promise<void> {
    this.#own.set(entry.connectionId, { userId: entry.userId, lastActiveAt: entry.lastActiveAt });
    const ids = this.#ownByUser.get(entry.userId) ?? new Set<string>();
    ids.add(entry.connectionId);
    this.#ownByUser.set(entry.userId, ids);
    await this.#writeUser(entry.userId, '');
  }

  async markActive(connectionId: string, at: Date): Promise<void> {
    const own = this.#own.get(connectionId);
    if (!own || at <= own.lastActiveAt) return;
    own.lastActiveAt = at;
    await this.#writeUser(own.userId, '');
  }

  async remove(connectionId: string, at: Date): Promise<void> {
    const own = this.#own.get(connectionId);
    if (!own) return;
    this.#own.delete(connectionId);
    const ids = this.#ownByUser.get(own.userId);
    ids?.delete(connectionId);
    if (ids?.size === 0) this.#ownByUser.delete(own.userId);
    await this.#writeUser(own.userId, at.toISOString());
  }

  /** Stores what this instance holds of the user now (from memory, so writes cannot interleave wrongly). */
  async #writeUser(userId: string, lastSeenAt: string): Promise<void> {
    try {
      await this.#redis.eval(PUT_USER, {
        keys: [this.#key('users', this.#instanceId), this.#key('versions'), this.#key('lastSeen')],
        arguments: [userId, this.#ownByUser.has(userId) ? this.#storedUser(userId) : '', lastSeenAt],
      });
    } catch (err) {
      this.#isOutOfStep = true;
      throw err;
    }
  }

  async connections(userIds?: readonly string[]): Promise<ConnectionEntry[]> {
    if (userIds?.length === 0) return [];
    const instances = await this.#liveInstances();
    const perInstance = await Promise.all(
      instances.map(async (instanceId) => {
        const key = this.#key('users', instanceId);
        if (!userIds) return Object.entries(await this.#redis.hGetAll(key));
        const values = await this.#redis.hmGet(key, [...userIds]);
        return userIds.flatMap((id, i) => (values[i] ? [[id, values[i]!] as const] : []));
      }),
    );
    return perInstance.flatMap((users, i) =>
      users.flatMap(([userId, raw]) =>
        Object.entries(JSON.parse(raw) as StoredUser).map(([connectionId, iso]) => ({ connectionId, userId, instanceId: instances[i]!, lastActiveAt: new Date(iso) })),
      ),
    );
  }

  async #liveInstances(): Promise<string[]> {
    const instances = await this.#redis.sMembers(this.#key('instances'));
    const alive = await Promise.all(instances.map((id) => this.#redis.exists(this.#key('lease', id))));
    return instances.filter((_, i) => alive[i] === 1);
  }

  async lastSeen(userIds?: readonly string[]): Promise<Map<string, Date>> {
    const values = await this.#readHash(this.#key('lastSeen'), userIds);
    return new Map([...values].map(([id, iso]) => [id, new Date(iso)]));
  }

  async versions(userIds?: readonly string[]): Promise<Map<string, number>> {
    const values = await this.#readHash(this.#key('versions'), userIds);
    return new Map([...values].map(([id, n]) => [id, Number(n)]));
  }

  async #readHash(key: string, fields?: readonly string[]): Promise<Map<string, string>> {
    if (!fields) return new Map(Object.entries(await this.#redis.hGetAll(key)));
    if (fields.length === 0) return new Map();
    const values = await this.#redis.hmGet(key, [...fields]);
    return new Map(fields.flatMap((id, i) => (values[i] ? [[id, values[i]!] as const] : [])));
  }

  async claimChange(presence: { userId: string; state: PresenceState; lastSeenAt: string | null }, version: number): Promise<ClaimResult> {
    const [rev, at] = (await this.#redis.eval(CLAIM_CHANGE, {
      keys: [this.#key('versions'), this.#key('published'), this.#key('rev')],
      arguments: [presence.userId, presence.state, presence.lastSeenAt ?? '', String(version)],
    })) as [number | string, number | string];
    if (Number(rev) === -1) return { kind: 'stale' };
    if (Number(rev) === 0) return { kind: 'unchanged' };
    return { kind: 'claimed', rev: Number(rev), at: Number(at) };
  }

  async published(userIds?: readonly string[]): Promise<PublishedStates> {
    if (userIds?.length === 0) return { rev: 0, now: Date.now(), states: new Map() };
    const reply = (await this.#redis.eval(READ_PUBLISHED, {
      keys: [this.#key('published'), this.#key('rev')],
      arguments: userIds ? [...userIds] : [],
    })) as string[];
    const states = new Map<string, PublishedPresence>();
    for (let i = 2; i < reply.length; i += 2) states.set(reply[i]!, parsePublished(reply[i + 1]!));
    return { rev: Number(reply[0]), now: Number(reply[1]), states };
  }

  async pruneOffline(before: number): Promise<void> {
    await this.#redis.eval(PRUNE_OFFLINE, {
      keys: [this.#key('published'), this.#key('versions'), this.#key('instances')],
      arguments: [String(before), this.#prefix],
    });
  }

  async reapExpired(now: Date): Promise<void> {
    const instances = await this.#redis.sMembers(this.#key('instances'));
    for (const instanceId of instances) {
      if (instanceId === this.#instanceId) continue;
      await this.#redis.eval(REAP_INSTANCE, {
        keys: [
          this.#key('users', instanceId),
          this.#key('lastSeen'),
          this.#key('versions'),
          this.#key('instances'),
          this.#key('lease', instanceId),
          this.#key('connections', instanceId),
        ],
        arguments: [now.toISOString(), instanceId],
      });
    }
  }

  /** A clean stop: this instance's connections go at once instead of when the lease expires. */
  async close(): Promise<void> {
    clearInterval(this.#renewal);
    this.#own.clear();
    this.#ownByUser.clear();
    try {
      await this.#redis.del([this.#key('users', this.#instanceId), this.#key('lease', this.#instanceId)]);
      await this.#redis.sRem(this.#key('instances'), this.#instanceId);
    } catch {
      // Redis is gone; the lease expires by itself.
    }
  }
}

function parsePublished(raw: string): PublishedPresence {
  try {
    const value = JSON.parse(raw) as PublishedPresence;
    if (typeof value === 'object' && value) return { state: value.state, rev: Number(value.rev) || 0, lastSeenAt: value.lastSeenAt ?? null, at: Number(value.at) || 0 };
  } catch {
    // Written by an older version: the bare state.
  }
  return { state: raw as PresenceState, rev: 0, lastSeenAt: null, at: 0 };
}
