import { LIMITS, defaultNotifyLevel, fail, ok, type Ack, type AckError, type NotifyLevel, type NotifySettingDto, type UserDto } from '@confab/shared';
import type { NotifySettingRecord, NotifySettingStore, UserStore } from '../store/ports.js';
import type { RoomAccessCheck } from './rooms/roomAccess.js';
import { NOT_A_MEMBER } from './rooms/refusals.js';

/** A stored setting as its owner's clients see it: the level in effect, times as ISO strings. */
export function toNotifySettingDto(record: NotifySettingRecord): NotifySettingDto {
  return {
    roomId: record.roomId,
    level: record.level ?? defaultNotifyLevel(record.roomId),
    mutedUntil: record.mutedUntil ? record.mutedUntil.toISOString() : null,
  };
}

/**
 * Each user's per-room notification settings. Only members may set one for a room (any kind); a
 * room left or removed from loses its setting (the membership service removes it). A user keeps
 * at most `roomsPerUserMax + LIMITS.notifySettingsBeyondRoomsMax` settings, so `notify:list`,
 * read whole on every connect, stays bounded.
 */
export function createNotifySettingService(deps: {
  settings: NotifySettingStore;
  users: Pick<UserStore, 'findById'>;
  access: Pick<RoomAccessCheck, 'asMember'>;
  limits: { roomsPerUserMax: number };
}) {
  const settingsMax = deps.limits.roomsPerUserMax + LIMITS.notifySettingsBeyondRoomsMax;

  async function list(user: UserDto): Promise<Ack<{ settings: NotifySettingDto[] }>> {
    const records = await deps.settings.listForUser(user.id);
    return ok({ settings: records.map(toNotifySettingDto) });
  }

  /** Whether the user may set something for the room: a member, and for a DM, one whose peer exists. */
  async function mayUse(user: UserDto, roomId: string): Promise<boolean> {
    const room = await deps.access.asMember(user, roomId);
    if (!room) return false;
    // A DM's membership is read from its id alone, so any made-up peer would pass; as every other
    // room that does not exist, a DM with nobody is refused.
    const peer = room.dmMembers?.find((id) => id !== user.id);
    return !peer || (await deps.users.findById(peer)) !== null;
  }

  /** `admit` is asked last: a refused change spends no rate-limit point. */
  async function set(
    user: UserDto,
    input: { roomId: string; level?: NotifyLevel | undefined; mutedUntil?: string | null | undefined },
    admit: () => Promise<{ ok: false; error: AckError } | null>,
  ): Promise<Ack<NotifySettingDto>> {
    if (!(await mayUse(user, input.roomId))) return NOT_A_MEMBER;
    // Checked before the write, not with it: racing first settings may pass the cap by a few, which
    // the rate limit keeps small.
    if (!(await deps.settings.find(user.id, input.roomId)) && (await deps.settings.countForUser(user.id)) >= settingsMax) {
      return fail('limit_reached', `You have notification settings for ${settingsMax} rooms, the most kept; leave a room, or change one you have set already.`);
    }
    const limited = await admit();
    if (limited) return limited;
    const change: { level?: NotifyLevel; mutedUntil?: Date | null } = {};
    if (input.level !== undefined) change.level = input.level;
    if (input.mutedUntil !== undefined) change.mutedUntil = input.mutedUntil === null ? null : new Date(input.mutedUntil);
    return ok(toNotifySettingDto(await deps.settings.update(user.id, input.roomId, change)));
  }

  return { list, set };
}

export type NotifySettingService = ReturnType<typeof createNotifySettingService>;
