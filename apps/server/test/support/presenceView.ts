import type { PresenceDto, PresenceSnapshotMeta } from '@confab/shared';
// The web app's own rule, so the server is tested against the client that ships with it.
import { mergeSnapshot, mergeUpdate, type PresenceMap } from '../../../web/src/lib/presence.js';
import type { LobbyClient } from './client.js';

/** One observer's view of presence, built from snapshots and updates as the web app builds it. */
export class PresenceView {
  private byUserId: PresenceMap = {};
  private snapshotRev = 0;
  /** Every presence event in arrival order: the first must be the snapshot. */
  readonly events: ('snapshot' | 'update')[] = [];

  listen(socket: LobbyClient): void {
    socket.on('presence:snapshot', (snapshot: PresenceDto[], meta: PresenceSnapshotMeta) => {
      this.events.push('snapshot');
      this.byUserId = mergeSnapshot(this.byUserId, snapshot, meta.rev);
      this.snapshotRev = Math.max(this.snapshotRev, meta.rev);
    });
    socket.on('presence:changes', (changes: PresenceDto[]) => changes.forEach((p) => {
      this.events.push('update');
      this.byUserId = mergeUpdate(this.byUserId, p, this.snapshotRev);
    }));
  }

  stateOf(userId: string): PresenceDto['state'] {
    return this.byUserId[userId]?.state ?? 'offline';
  }
}
