/** One socket of one user, as the presence registry holds it. */
export interface ConnectionEntry {
  connectionId: string;
  userId: string;
  /** The server instance holding the socket: its entries go when its lease expires. */
  instanceId: string;
  /** Connect time, or the last `presence:active` from this tab. */
  lastActiveAt: Date;
}

export type PresenceState = 'online' | 'away' | 'offline';

/** A user's state as last published, with the revision it was published under. */
export interface PublishedPresence {
  state: PresenceState;
  rev: number;
  lastSeenAt: string | null;
  /** When it was claimed (ms, the registry's clock): the sweep re-announces recent changes. */
  at: number;
}

/** Every published state, with the revision they were read at and the registry's clock then. */
export interface PublishedStates {
  /** The highest revision handed out so far: every state here is current as of it. */
  rev: number;
  now: number;
  states: Map<string, PublishedPresence>;
}

/** What a claim decided: `stale` means an input changed since `version` was read. */
export type ClaimResult = { kind: 'claimed'; rev: number; at: number } | { kind: 'unchanged' } | { kind: 'stale' };

/**
 * Where presence lives: every live connection of every user, on every instance, plus when
 * each user was last seen and the state last published for them. The in-memory registry serves
 * one instance; a shared one (Redis) holds per-instance entries that expire with their
 * instance's lease.
 */
export interface PresenceRegistry {
  add(entry: ConnectionEntry): Promise<void>;
  markActive(connectionId: string, at: Date): Promise<void>;
  /** Removes the connection (idempotent) and records `at` as its user's last-seen time. */
  remove(connectionId: string, at: Date): Promise<void>;
  /** Live connections: of the given users, or of everyone. */
  connections(userIds?: readonly string[]): Promise<ConnectionEntry[]>;
  /** Last-seen times recorded by `remove`, for the users that have one (of everyone without ids). */
  lastSeen(userIds?: readonly string[]): Promise<Map<string, Date>>;
  /**
   * A counter per user that every change of their connections bumps (0 when none). Read it
   * before the connections, and pass it to `claimChange`: a claim computed from an older read
   * is refused.
   */
  versions(userIds?: readonly string[]): Promise<Map<string, number>>;
  /**
   * Records `state` as the user's published state, if it differs from the one recorded and the
   * user's version is still `version`. A change gets the next revision: higher than every one
   * handed out before, for any user, by any instance. Exactly one caller claims each change.
   */
  claimChange(presence: { userId: string; state: PresenceState; lastSeenAt: string | null }, version: number): Promise<ClaimResult>;
  /** The published states (offline ones until pruned) and the revision, read at one instant. */
  published(userIds?: readonly string[]): Promise<PublishedStates>;
  /**
   * Forgets published `offline` states claimed before `before` (ms): the revision covers them;
   * and those users' versions, unless a connection of theirs is held (a claim in flight for one
   * is then refused as stale and recomputed).
   */
  pruneOffline(before: number): Promise<void>;
  /** Drops the connections of instances whose lease expired (they crashed), recording their users' last-seen. */
  reapExpired(now: Date): Promise<void>;
  /** Writes this instance's own entries again, should the shared store have lost them (a Redis restart). */
  reassert(): Promise<void>;
  close(): Promise<void>;
}
