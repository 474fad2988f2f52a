import type { UserDto } from '@confab/shared';
import { createRoomAccess } from '../services/rooms/roomAccess.js';
import type { BlobKind, FileRecord, Stores } from '../store/ports.js';

/**
 * Who may fetch a file, asked on every request (so a removal from the room or a recall acts at
 * once, on every instance). An upload no message has taken: its owner only. Once a send claimed
 * it: whoever may read the claim's room (its members; anyone for a public channel, as for its
 * history), and only while the claiming message, once stored, exists and is not recalled. The
 * owner gets no more than anyone else then: who left a private room no longer reads its files.
 */
export function createDownloadAccess(stores: Pick<Stores, 'files' | 'messages' | 'rooms'>) {
  const rooms = createRoomAccess(stores);

  /**
   * The file's record when `user` may fetch its `kind` blob; null otherwise, and alike for a
   * file that does not exist, one the user may not see, and a thumbnail a file does not have.
   */
  async function openForDownload(user: UserDto, fileId: string, kind: BlobKind): Promise<FileRecord | null> {
    const record = await stores.files.find(fileId);
    if (!record || (kind === 'thumbnail' && !record.thumbnail)) return null;
    const claim = await stores.files.claimOf(fileId);
    if (!claim) return record.ownerId === user.id ? record : null;
    if (!(await rooms.canRead(user, claim.roomId))) return null;
    if (claim.messageId === undefined) return record;
    const message = await stores.messages.findById(claim.messageId);
    return message && message.roomId === claim.roomId && !message.recalledAt ? record : null;
  }

  return { openForDownload };
}
