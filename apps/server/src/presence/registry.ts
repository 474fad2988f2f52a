/** One socket of one user, as the presence registry holds it. */
export interface ConnectionEntry {
  connectionId: string;
  userId: string;
  /** The server instance holding the socket: its entries go when its lease expires. */
  instanceId: string;
  /** Connect time, or the last `presence:active` from this tab. */
  lastActiveAt: Date;
}

/**
 * Where presence lives: every live connection of every user, on every instance, plus when
 * each user was last seen. The in-memory registry serves one instance; a shared one (Redis)
 * holds per-instance entries that expire with their instance's lease.
 */
export interface PresenceRegistry {
  add(entry: ConnectionEntry): Promise<void>;
  markActive(connectionId: string, at: Date): Promise<void>;
  /** Removes the connection and records `at` as its user's last-seen time. */
  remove(connectionId: string, at: Date): Promise<void>;
  /** Live connections: of the given users, or of everyone. */
  connections(userIds?: readonly string[]): Promise<ConnectionEntry[]>;
  /** Last-seen times recorded by `remove`, for the users that have one. */
  lastSeen(userIds: readonly string[]): Promise<Map<string, Date>>;
  /**
   * Records `state` as the user's published state. True only for the one caller, across all
   * instances, that changed it: that caller publishes the change, so observers hear it once.
   */
  claimChange(userId: string, state: 'online' | 'away' | 'offline'): Promise<boolean>;
  /** Users whose recorded state is not offline: a sweep must look at them even without connections. */
  trackedUsers(): Promise<string[]>;
  /** Drops the connections of instances whose lease expired (they crashed), recording their users' last-seen. */
  reapExpired(now: Date): Promise<void>;
  /** Writes this instance's own entries again, should the shared store have lost them (a Redis restart). */
  reassert(): Promise<void>;
  close(): Promise<void>;
}
