// What the parent asks a server process to run, and what they say to each other over IPC.

export type Target = 'confab' | 'bare';

export interface ServerSpec {
  target: Target;
  /** Instances in this process, each on its own port; they share one store (and Redis, when given). */
  instances: number;
  redisUrl?: string;
  /** Confab's store, and the bare server's insert target in the db scenario; memory when absent. */
  mongo?: { url: string; dbName: string };
  /** Confab: users to create with a session each, straight through the store (no password hashing). */
  users: number;
  /** Confab: how often every socket's session is checked again. */
  sessionRecheckMs?: number;
  /** Bare: keep every message, with a seq per room, so clients can catch up (`message:sync`). */
  keepLog?: boolean;
}

/** One seeded user: what a client needs to connect as them. */
export interface SeededUser {
  id: string;
  cookie: string;
}

export interface ReadyInfo {
  urls: string[];
  users: SeededUser[];
}

export interface Sample {
  /** process.cpuUsage(), user + system, in µs. */
  cpuUs: number;
  rss: number;
  heapUsed: number;
  /** performance.timeOrigin + performance.now() in the child, in ms. */
  at: number;
}

export type Command =
  | { cmd: 'sample'; gc?: boolean }
  | { cmd: 'profileStart' }
  | { cmd: 'profileStop'; file: string }
  /** Drops every TCP connection of one instance at once, then closes it: its clients see a crash. */
  | { cmd: 'crash'; instance: number }
  | { cmd: 'stop' };

export type ToChild = { id: number } & Command;
export type FromChild =
  | { type: 'ready'; info: ReadyInfo }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };
