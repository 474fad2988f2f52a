import { LIMITS, mentionCandidates, type MentionDto } from '@confab/shared';
import type { Stores, UserRecord } from '../../store/ports.js';
import type { RoomAccess } from './roomAccess.js';

/**
 * Whom a body mentions in a room: each `@name` candidate (see `mentionCandidates`) that is a user
 * and a member of the room (everyone is one of the lobby), at most `LIMITS.mentionsPerMessageMax`,
 * in order of appearance. A name that is not a member stays plain text, so a mention in a private
 * room tells nobody outside it anything.
 */
export function createMentionResolver(stores: Pick<Stores, 'users' | 'rooms'>) {
  async function isMember(room: Pick<RoomAccess, 'roomId' | 'kind' | 'dmMembers'>, userId: string): Promise<boolean> {
    if (room.kind === 'lobby') return true;
    if (room.dmMembers) return room.dmMembers.includes(userId);
    return (await stores.rooms.membership(room.roomId, userId)) !== null;
  }

  return async function mentionsIn(room: Pick<RoomAccess, 'roomId' | 'kind' | 'dmMembers'>, body: string): Promise<MentionDto[]> {
    const candidates = mentionCandidates(body);
    if (candidates.length === 0) return [];
    const users = await Promise.all(candidates.map((name) => stores.users.findByUsername(name)));
    // `@bob.` yields `bob.` then `bob`: the shorter name is only tried when the longer is nobody.
    const chosen = new Map<string, UserRecord>();
    candidates.forEach((name, i) => {
      const user = users[i];
      const longer = i > 0 ? candidates[i - 1]! : null;
      const isShortened = longer !== null && longer !== name && longer.startsWith(name) && [...longer.slice(name.length)].every((c) => '._-'.includes(c));
      if (!user || (isShortened && users[i - 1])) return;
      if (!chosen.has(user.id)) chosen.set(user.id, user);
    });
    const members = await Promise.all([...chosen.values()].map(async (user) => ((await isMember(room, user.id)) ? user : null)));
    return members
      .filter((user): user is UserRecord => user !== null)
      .slice(0, LIMITS.mentionsPerMessageMax)
      .map((user) => ({ id: user.id, username: user.username }));
  };
}

export type MentionResolver = ReturnType<typeof createMentionResolver>;
