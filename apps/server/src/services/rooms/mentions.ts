import { LIMITS, mentionCandidates, type MentionDto } from '@confab/shared';
import type { Stores } from '../../store/ports.js';
import type { RoomAccess } from './roomAccess.js';

/**
 * Whom a body mentions in a room: each `@name` candidate (see `mentionCandidates`) that is a user
 * and a member of the room (everyone is one of the lobby), at most `LIMITS.mentionsPerMessageMax`,
 * in order of appearance. A name that is not a member stays plain text, so a mention in a private
 * room tells nobody outside it anything.
 */
export function createMentionResolver(stores: Pick<Stores, 'users' | 'rooms'>) {
  return async function mentionsIn(room: Pick<RoomAccess, 'roomId' | 'kind' | 'dmMembers'>, body: string): Promise<MentionDto[]> {
    const candidates = mentionCandidates(body);
    if (candidates.length === 0) return [];
    const users = await Promise.all(candidates.map((name) => stores.users.findByUsername(name)));
    const mentioned: MentionDto[] = [];
    const seen = new Set<string>();
    for (const user of users) {
      if (!user || seen.has(user.id) || mentioned.length >= LIMITS.mentionsPerMessageMax) continue;
      seen.add(user.id);
      const isMember =
        room.kind === 'lobby' ? true : room.dmMembers ? room.dmMembers.includes(user.id) : (await stores.rooms.membership(room.roomId, user.id)) !== null;
      if (isMember) mentioned.push({ id: user.id, username: user.username });
    }
    return mentioned;
  };
}

export type MentionResolver = ReturnType<typeof createMentionResolver>;
