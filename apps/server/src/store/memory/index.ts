import type { Stores } from '../ports.js';
import { MemoryConversationStore } from './memoryConversationStore.js';
import { MemoryMessageStore } from './memoryMessageStore.js';
import { MemorySessionStore } from './memorySessionStore.js';
import { MemoryUserStore } from './memoryUserStore.js';

/** The embedded default: everything in this process's memory, gone when it exits. */
export function createMemoryStores(): Stores {
  return {
    kind: 'memory',
    users: new MemoryUserStore(),
    messages: new MemoryMessageStore(),
    sessions: new MemorySessionStore(),
    conversations: new MemoryConversationStore(),
    isReady: async () => true,
    close: async () => {},
  };
}
