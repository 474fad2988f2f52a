import { fail, ok, type Ack, type RegistrationMode, type UserRole } from '@confab/shared';
import type { UserRecord, UserStore } from '../../store/ports.js';
import type { InvitationUse, Invitations, UsableInvitation } from './invitations.js';
import type { LiveSettings } from './liveSettings.js';
import type { Roles } from './roles.js';

/** A registration let in: how, and the invitation it came by, whose use it takes only once it can go through. */
export interface Seat {
  /** The mode in force when it was let in. */
  mode: RegistrationMode;
  /** The server had no account when it was let in: it may be the first (its admin). */
  isFirstCandidate: boolean;
  /**
   * Takes what the seat needs (one use of its invitation), atomically: called once the username
   * was found free, so a registration bound to fail never holds a use another could have had.
   * Refused `invitation_invalid` when an invitation-only server's link lost its last use meanwhile.
   */
  take(): Promise<Ack<void>>;
  /** Gives back what `take` took (the account could not be created after all: its username went meanwhile). */
  release(): Promise<void>;
}

/** What account creation asks of the registration rules (absent: open registration, no roles; for tests of the account service alone). */
export interface RegistrationPolicy {
  /** Whether a registration may go ahead; for an invitation, checks the link without taking a use (see `Seat.take`). */
  admit(invitationToken: string | undefined): Promise<Ack<Seat>>;
  roleAtRegistration(username: string): UserRole;
  /**
   * After the account was created: makes the first account the admin, and refuses (deleting the
   * account) a registration that only an empty server let in and that lost the race for it.
   */
  settle(user: UserRecord, seat: Seat): Promise<Ack<UserRecord>>;
  /** At sign-in (password checked, account active). */
  atSignIn(user: UserRecord): Promise<UserRecord>;
}

const CLOSED = 'This server does not take new accounts: ask an admin.';
const INVITATION_ONLY = 'This server takes new accounts by invitation only: open the link an admin sent you.';
const INVALID_INVITATION = 'This invitation link is not valid: it may have expired, been revoked or been used up. Ask for a new one.';

/**
 * Who may register, decided on every call from the database (so a change an admin made on
 * another instance applies at once): a server with no account takes one registration in any
 * mode (it becomes the admin); then `open` takes anyone, `invitation` only a usable invitation
 * link, `closed` nobody. While `open`, a usable invitation is redeemed too (its use count then
 * says who came by it); an unusable one is ignored, as none is needed.
 */
export function createRegistrationPolicy(deps: { users: Pick<UserStore, 'count' | 'delete'>; live: Pick<LiveSettings, 'fresh'>; invitations: Pick<Invitations, 'peek'>; roles: Roles }): RegistrationPolicy {
  const seat = (mode: RegistrationMode, isFirstCandidate: boolean): Seat => ({ mode, isFirstCandidate, take: async () => ok(undefined), release: async () => {} });

  function invitedSeat(mode: RegistrationMode, usable: UsableInvitation): Seat {
    let use: InvitationUse | null = null;
    return {
      mode,
      isFirstCandidate: false,
      async take() {
        use = await usable.take();
        // Used up since it was checked: an open server needs no link anyway.
        if (use || mode === 'open') return ok(undefined);
        return fail('invitation_invalid', INVALID_INVITATION);
      },
      async release() {
        const taken = use;
        use = null;
        await taken?.release();
      },
    };
  }

  return {
    async admit(invitationToken) {
      const { registration: mode } = await deps.live.fresh();
      if ((await deps.users.count()) === 0) return ok(seat(mode, true));
      if (mode === 'closed') return fail('registration_closed', CLOSED);
      const usable = invitationToken === undefined ? null : await deps.invitations.peek(invitationToken);
      if (usable) return ok(invitedSeat(mode, usable));
      if (mode === 'open') return ok(seat(mode, false));
      return invitationToken === undefined ? fail('registration_closed', INVITATION_ONLY) : fail('invitation_invalid', INVALID_INVITATION);
    },

    roleAtRegistration: (username) => deps.roles.roleAtRegistration(username),

    async settle(user, admitted) {
      if (admitted.isFirstCandidate) {
        const claimed = await deps.roles.claimFirst(user);
        if (!claimed.isFirst && admitted.mode !== 'open') {
          // Several registrations raced for an empty server that is not open: only the first may
          // stay. Nothing refers to this account yet (no session, no message, no membership), so
          // it goes, and its username is free again.
          await deps.users.delete(user.id);
          return fail('registration_closed', admitted.mode === 'closed' ? CLOSED : INVITATION_ONLY);
        }
        user = claimed.user;
      }
      await deps.roles.atRegistration(user);
      return ok(user);
    },

    atSignIn: (user) => deps.roles.atSignIn(user),
  };
}
