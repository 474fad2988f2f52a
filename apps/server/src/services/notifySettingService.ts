import { defaultNotifyLevel, ok, type Ack, type AckError, type NotifyLevel, type NotifySettingDto, type UserDto } from '@confab/shared';
import type { NotifySettingRecord, NotifySettingStore } from '../store/ports.js';
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
 * Each user's per-room notification settings. Only members may set one for a room (any kind);
 * the list is read as stored, since a setting for a room left since is harmless and a client
 * ignores rooms it does not hold.
 */
export function createNotifySettingService(deps: { settings: NotifySettingStore; access: Pick<RoomAccessCheck, 'asMember'> }) {
  async function list(user: UserDto): Promise<Ack<{ settings: NotifySettingDto[] }>> {
    const records = await deps.settings.listForUser(user.id);
    return ok({ settings: records.map(toNotifySettingDto) });
  }

  /** `admit` is asked last: a refused change spends no rate-limit point. */
  async function set(
    user: UserDto,
    input: { roomId: string; level?: NotifyLevel | undefined; mutedUntil?: string | null | undefined },
    admit: () => Promise<{ ok: false; error: AckError } | null>,
  ): Promise<Ack<NotifySettingDto>> {
    if (!(await deps.access.asMember(user, input.roomId))) return NOT_A_MEMBER;
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
