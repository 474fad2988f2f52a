import { z } from 'zod';
import { roomIdSchema } from './roomSchemas.js';

/**
 * How much a room interrupts its member: `all` (every message notifies and counts in the tab
 * title), `mentions` (only messages that mention them), `none` (nothing notifies or counts; the
 * room's unread count still shows in the room list).
 */
export const NOTIFY_LEVELS = ['all', 'mentions', 'none'] as const;

/** One of {@link NOTIFY_LEVELS}. */
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];

/**
 * `mutedUntil` meaning "until I turn it back on": a time no clock reaches, so that every reader
 * compares one field the same way (a muted room is one whose `mutedUntil` is in the future).
 */
export const MUTED_FOREVER = '9999-12-31T23:59:59.999Z';

/**
 * The level a room has until its member chooses one: `mentions` for the lobby and channels
 * (anyone may post there), `all` for DMs and groups (as Slack and Mattermost do).
 */
export function defaultNotifyLevel(roomId: string): NotifyLevel {
  return roomId.startsWith('dm:') || roomId.startsWith('g:') ? 'all' : 'mentions';
}

/** Whether a setting's `mutedUntil` is still ahead of `now` (ms since the epoch). */
export function isMutedAt(mutedUntil: string | null, now: number): boolean {
  return mutedUntil !== null && Date.parse(mutedUntil) > now;
}

const notifyLevelSchema = z.enum(NOTIFY_LEVELS, { error: `level must be one of ${NOTIFY_LEVELS.join(', ')}` });

/** An ISO 8601 time in UTC (`…Z`), or null for "not muted". */
const mutedUntilSchema = z.union([z.iso.datetime({ error: 'mutedUntil must be an ISO 8601 time in UTC (…Z) or null' }), z.null()], {
  error: 'mutedUntil must be an ISO 8601 time in UTC (…Z) or null',
});

/**
 * `notify:set` payload: change the caller's setting for one room they are a member of. Fields
 * left out keep their value; at least one is required. `mutedUntil: null` unmutes; a time in the
 * past is stored as given and mutes nothing.
 */
export const notifySetSchema = z
  .strictObject({ roomId: roomIdSchema, level: notifyLevelSchema.optional(), mutedUntil: mutedUntilSchema.optional() })
  .refine((set) => set.level !== undefined || set.mutedUntil !== undefined, { error: 'name a level or mutedUntil', path: ['level'] });

/** What a client sends with `notify:set`. */
export type NotifySetPayload = z.input<typeof notifySetSchema>;
