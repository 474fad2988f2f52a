import type { NewReaction, SessionRecord, StoredMessage, Stores, UserRecord } from '../ports.js';
import { MemoryConversationStore, type SavedConversations } from './memoryConversationStore.js';
import { MemoryMessageStore } from './memoryMessageStore.js';
import { MemoryReactionStore } from './memoryReactionStore.js';
import { MemoryRoomStore, type SavedRooms } from './memoryRoomStore.js';
import { MemorySessionStore } from './memorySessionStore.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';
import { MemoryUserStore } from './memoryUserStore.js';

/** Everything the memory stores hold, as plain records (dates as `Date`). */
export interface SavedStores {
  users: readonly UserRecord[];
  sessions: readonly SessionRecord[];
  messages: readonly StoredMessage[];
  reactions: readonly NewReaction[];
  conversations: SavedConversations;
  rooms: SavedRooms;
}

export interface MemoryStores extends Stores {
  /** The whole state, for writing out; read it before the next await. */
  saved(): SavedStores;
}

/** The embedded default: everything in this process's memory, gone when it exits unless a caller saves it. */
export function createMemoryStores(options: MemoryStoreOptions<SavedStores> = {}): MemoryStores {
  const { saved, onChange } = options;
  const users = new MemoryUserStore({ saved: saved?.users, onChange });
  const messages = new MemoryMessageStore({ saved: saved?.messages, onChange });
  const reactions = new MemoryReactionStore({ saved: saved?.reactions, onChange });
  const sessions = new MemorySessionStore({ saved: saved?.sessions, onChange });
  const conversations = new MemoryConversationStore({ saved: saved?.conversations, onChange });
  const rooms = new MemoryRoomStore({ saved: saved?.rooms, onChange });
  return {
    kind: 'memory',
    users,
    messages,
    reactions,
    sessions,
    conversations,
    rooms,
    isReady: async () => true,
    close: async () => {},
    saved: () => ({
      users: users.saved(),
      sessions: sessions.saved(),
      messages: messages.saved(),
      reactions: reactions.saved(),
      conversations: conversations.saved(),
      rooms: rooms.saved(),
    }),
  };
}
