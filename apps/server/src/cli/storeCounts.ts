import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { MemoryStores } from '../store/memory/index.js';
import { connectWithRetry } from '../store/mongo/connect.js';
import type { Stores } from '../store/ports.js';

/** What `status` counts besides users (which the user store counts itself). */
export interface StoreCounts {
  /** Channels and groups (the lobby has no record). */
  rooms: number;
  /** Direct conversations (DMs and notes to self). */
  conversations: number;
  /** Entries in every room's stream: messages, recalls, edits, reactions, room events. */
  streamEntries: number;
  /** MongoDB counts from collection metadata (cheap, possibly slightly off after a crash); memory counts exactly. */
  isEstimate: boolean;
}

const isMemoryStores = (stores: Stores): stores is MemoryStores => typeof (stores as Partial<MemoryStores>).saved === 'function';

/**
 * Counts rooms and stream entries. The ports have no count of them (the app never needs one), so
 * this reads the implementation: the memory stores' state, or MongoDB's collection metadata on
 * a connection of its own (`estimatedDocumentCount`: no scan, however large the history). The
 * collection names are those of store/mongo/{roomModel,conversationModel,messageModel}.ts.
 */
export async function countStore(config: Readonly<Config>, stores: Stores, logger: Logger): Promise<StoreCounts | undefined> {
  if (isMemoryStores(stores)) {
    const saved = stores.saved();
    return { rooms: saved.rooms.records.length, conversations: saved.conversations.rooms.length, streamEntries: saved.messages.length, isEstimate: false };
  }
  if (!config.mongodbUrl) return undefined;
  const { connection, prepared } = await connectWithRetry(
    config.mongodbUrl,
    { logger, connectTimeoutMs: 5_000, serverSelectionTimeoutMs: config.mongodbServerSelectionTimeoutMs, heartbeatFrequencyMs: 10_000 },
    async (c) => {
      const count = (name: string) => c.collection(name).estimatedDocumentCount();
      const [rooms, conversations, streamEntries] = await Promise.all([count('rooms'), count('conversations'), count('messages')]);
      return { rooms, conversations, streamEntries, isEstimate: true };
    },
  );
  await connection.close();
  return prepared;
}
