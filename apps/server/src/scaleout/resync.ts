import type { Logger } from '../logger.js';
import type { PresenceService } from '../presence/presenceService.js';
import type { DmNamespace } from '../realtime/namespaces/dm.js';
import type { LobbyNamespace } from '../realtime/namespaces/lobby.js';
import { realignMemberRooms } from '../realtime/memberRooms.js';
import type { RoomStore } from '../store/ports.js';

/**
 * While this instance's Redis subscription was down it heard nothing other instances broadcast
 * (messages, recalls, read marks, presence, joins and leaves of rooms). Everything durable is stored with a seq, so its own
 * clients only need telling: `resync` makes them catch up by seq, and a fresh presence snapshot
 * replaces whatever presence changes they missed: the registry is written back and every state
 * claimed again first, so the snapshot lists everyone connected even if Redis lost it all.
 */
export async function resyncLocalClients(deps: {
  lobby: LobbyNamespace;
  dm: DmNamespace;
  presence: PresenceService;
  rooms: Pick<RoomStore, 'roomsOf'>;
  logger: Logger;
}): Promise<void> {
  deps.logger.info('Redis subscription restored; telling this instance’s clients to catch up');
  try {
    // Joins and leaves other instances asked for meanwhile were lost with the broadcasts: first
    // put every socket back in its user's rooms, so what clients catch up on is what they keep hearing.
    await realignMemberRooms([deps.lobby, deps.dm], deps.rooms);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'could not put sockets back in their rooms after the Redis gap');
  }
  deps.lobby.local.emit('resync');
  deps.dm.local.emit('resync');
  try {
    const snapshot = await deps.presence.resyncSnapshot();
    deps.lobby.local.emit('presence:snapshot', snapshot.presences, { rev: snapshot.rev });
  } catch (err) {
    // The next sweep and the next presence updates correct it.
    deps.logger.warn({ err: (err as Error).message }, 'could not send a fresh presence snapshot after the Redis gap');
  }
}
