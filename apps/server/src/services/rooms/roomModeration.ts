import { fail, ok, type Ack, type AuthorDto, type MessageDto, type UserDto } from '@confab/shared';
import type { LimitName } from '../../limits/rateLimits.js';
import type { StoredMessage, Stores } from '../../store/ports.js';
import { newObjectIdHex } from '../../store/ids.js';
import { createAuditLog } from '../admin/auditLog.js';
import type { Admit, MessageService, RemovalResult } from '../messageService.js';
import type { RoomAccessCheck } from './roomAccess.js';
import type { RoomEffects } from './roomEffects.js';
import type { RoomLabels } from './roomLabels.js';

const admitAll: Admit = async () => null;

/**
 * The rate limit `message:report` spends: the `settings` rule (20 per 10 s by default) until
 * reports have a rule of their own; a reporter needs a few a minute, a script is stopped.
 */
export const REPORT_LIMIT: LimitName = 'settings';
const NO_SUCH_MESSAGE = fail('not_found', 'There is no such message.');

/** A message a moderator may remove or a member report: not a recall, event or change entry. */
function isMessage(entry: StoredMessage | null): entry is StoredMessage {
  return entry !== null && !entry.recall && !entry.event && !entry.change;
}

const authorOf = (user: UserDto): AuthorDto => ({ id: user.id, name: user.displayName });

/**
 * Moderation inside rooms: removing a message as a moderator (`message:remove`, a ban, a report
 * acted on) and reporting one (`message:report`). Who is an admin is read from the user's record
 * when asked, so a demotion or deactivation on another instance holds at once.
 */
export function createRoomModeration(deps: {
  stores: Pick<Stores, 'messages' | 'users' | 'reports' | 'audit'>;
  messages: Pick<MessageService, 'remove'>;
  access: RoomAccessCheck;
  labels: RoomLabels;
  effects: Pick<RoomEffects, 'deliver'>;
  now: () => Date;
}) {
  const { stores } = deps;
  const audit = createAuditLog({ audit: stores.audit, now: deps.now });

  async function isAdminNow(userId: string): Promise<boolean> {
    const record = await stores.users.findById(userId);
    return record?.role === 'admin' && !record.deactivatedAt;
  }

  /**
   * Removes `target` as `moderator` (whose right to is the caller's to check): the removal entry
   * goes to every member as a recall's does, and every open report of the message is resolved as
   * removed. `audit` records it (`message.remove`); a ban records itself once instead. Idempotent:
   * a message already removed or recalled is answered with its entry, and nothing is sent again.
   * A removal that failed after storing its entry is finished, and recorded, but not sent: live
   * clients learn of it when they next catch up, as of any entry whose broadcast a failure lost.
   */
  async function removeMessage(moderator: UserDto, target: StoredMessage, options: { audit?: boolean; reason?: string } = {}): Promise<RemovalResult> {
    const result = await deps.messages.remove(target);
    const place = await deps.labels.placeOf(target.roomId);
    if (result.isNew && place) deps.effects.deliver(result.entry, place.kind, place.dmMembers ? { dmMembers: place.dmMembers } : {});
    // Also when repeated: a removal that failed after its entry still resolves the reports.
    await stores.reports.resolveAllOf(target.id, { by: authorOf(moderator), at: deps.now() });
    if ((result.isNew || result.isErasedNow) && options.audit) {
      const details = { author: target.author.name, ...(options.reason ? { reason: options.reason } : {}) };
      await audit.record(authorOf(moderator), 'message.remove', { kind: 'message', id: target.id, label: `${place?.label ?? target.roomId} #${target.seq}` }, details);
    }
    return result;
  }

  /**
   * `message:remove`: admins may remove any message, in any room, even one they are not in (as
   * Slack's and Mattermost's system admins may); a channel's owner any message in their channel.
   * Anyone else is refused: `not_found` when they cannot see the message's room (as for a recall),
   * `forbidden` when they can. Admins spend no rate-limit point; owners one (`admit`).
   */
  async function remove(user: UserDto, messageId: string, admit: Admit = admitAll): Promise<Ack<MessageDto>> {
    const target = await stores.messages.findById(messageId);
    if (!isMessage(target)) return NO_SUCH_MESSAGE;
    if (!(await isAdminNow(user.id))) {
      const room = await deps.access.asMember(user, target.roomId);
      if (!room) return NO_SUCH_MESSAGE;
      const isOwner = (room.kind === 'public_channel' || room.kind === 'private_channel') && room.role === 'owner';
      if (!isOwner) return fail('forbidden', "Only admins, and a channel's owner in their channel, can remove others' messages.");
      const refused = await admit();
      if (refused) return refused;
    }
    const { entry } = await removeMessage(user, target, { audit: true });
    return ok(entry);
  }

  /**
   * `message:report`: a member reports a message of someone else's in a room they are in to the
   * server's admins. A repeat by the same member stores nothing more and is answered the same.
   */
  async function report(user: UserDto, input: { id: string; reason: string }, admit: Admit = admitAll): Promise<Ack<null>> {
    const target = await stores.messages.findById(input.id);
    if (!isMessage(target) || !(await deps.access.asMember(user, target.roomId))) return NO_SUCH_MESSAGE;
    if (target.recalledAt) return fail('not_found', 'This message was recalled or removed; there is nothing left to report.');
    if (target.author.id === user.id) return fail('forbidden', 'You cannot report your own message.');
    const refused = await admit();
    if (refused) return refused;
    await stores.reports.create({ id: newObjectIdHex(), messageId: target.id, roomId: target.roomId, reporter: authorOf(user), reason: input.reason, createdAt: deps.now() });
    return ok(null);
  }

  return { remove, report, removeMessage, isAdminNow };
}

export type RoomModeration = ReturnType<typeof createRoomModeration>;
