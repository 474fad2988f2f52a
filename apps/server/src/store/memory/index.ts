import { LocalFileStore } from '../local/localFileStore.js';
import type { AuditRecord, NewReaction, NotifySettingRecord, ReportRecord, SessionRecord, StoredMessage, Stores, UserRecord } from '../ports.js';
import { MemoryAuditStore } from './memoryAuditStore.js';
import { MemoryConversationStore, type SavedConversations } from './memoryConversationStore.js';
import { MemoryInvitationStore, type SavedInvitations } from './memoryInvitationStore.js';
import { MemoryMessageStore } from './memoryMessageStore.js';
import { MemoryNotifySettingStore } from './memoryNotifySettingStore.js';
import { MemoryReactionStore } from './memoryReactionStore.js';
import { MemoryReportStore } from './memoryReportStore.js';
import { MemoryRoomStore, type SavedRooms } from './memoryRoomStore.js';
import { MemorySessionStore } from './memorySessionStore.js';
import { MemorySettingsStore, type SavedSettings } from './memorySettingsStore.js';
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
  notifySettings: readonly NotifySettingRecord[];
  settings: SavedSettings;
  invitations: SavedInvitations;
  reports: readonly ReportRecord[];
  audit: readonly AuditRecord[];
}

export interface MemoryStores extends Stores {
  files: LocalFileStore;
  /** The whole state, for writing out; read it before the next await. */
  saved(): SavedStores;
}

export interface MemoryStoresOptions extends MemoryStoreOptions<SavedStores> {
  /**
   * The folder uploaded files are kept in (see LocalFileStore), opened on first use; without one,
   * a temporary folder made when the first file arrives and removed by `close()`.
   */
  filesDir?: string;
}

/**
 * The embedded default: everything in this process's memory, gone when it exits unless a caller
 * saves it; files (which memory is no place for) in a local folder.
 */
export function createMemoryStores(options: MemoryStoresOptions = {}): MemoryStores {
  const { saved, onChange } = options;
  const files = new LocalFileStore(options.filesDir);
  const users = new MemoryUserStore({ saved: saved?.users, onChange });
  const messages = new MemoryMessageStore({ saved: saved?.messages, onChange });
  const reactions = new MemoryReactionStore({ saved: saved?.reactions, onChange });
  const sessions = new MemorySessionStore({ saved: saved?.sessions, onChange });
  const conversations = new MemoryConversationStore({ saved: saved?.conversations, onChange });
  const rooms = new MemoryRoomStore({ saved: saved?.rooms, onChange });
  const notifySettings = new MemoryNotifySettingStore({ saved: saved?.notifySettings, onChange });
  const settings = new MemorySettingsStore({ saved: saved?.settings, onChange });
  const invitations = new MemoryInvitationStore({ saved: saved?.invitations, onChange });
  const reports = new MemoryReportStore({ saved: saved?.reports, onChange });
  const audit = new MemoryAuditStore({ saved: saved?.audit, onChange });
  return {
    kind: 'memory',
    users,
    messages,
    reactions,
    files,
    sessions,
    conversations,
    rooms,
    notifySettings,
    settings,
    invitations,
    reports,
    audit,
    isReady: async () => true,
    close: () => files.close(),
    saved: () => ({
      users: users.saved(),
      sessions: sessions.saved(),
      messages: messages.saved(),
      reactions: reactions.saved(),
      conversations: conversations.saved(),
      rooms: rooms.saved(),
      notifySettings: notifySettings.saved(),
      settings: settings.saved(),
      invitations: invitations.saved(),
      reports: reports.saved(),
      audit: audit.saved(),
    }),
  };
}
