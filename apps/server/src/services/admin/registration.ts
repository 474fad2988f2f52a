import { fail, ok, type Ack, type RegistrationMode, type UserRole } from '@confab/shared';
import type { UserRecord, UserStore } from '../../store/ports.js';
import type { Invitations, InvitationUse } from './invitations.js';
import type { LiveSettings } from './liveSettings.js';
import type { Roles } from './roles.js';

/** A registration let in: how, and what it holds (an invitation's use) until its account exists. */
export interface Seat {
  /** The mode in force when it was let in. */
  mode: RegistrationMode;
  /** The server had no account when it was let in: it may be the first (its admin). */
  isFirstCandidate: boolean;
  /** Gives back what it took (the registration failed: the username was taken). */
  release(): Promise<void>;
}

/** What account creation asks of the registration rules (absent: open registration, no roles; for tests of the account service alone). */
export interface RegistrationPolicy {
  /** Whether a registration may go ahead; for an invitation, takes one of its uses. */
  admit(invitationToken: string | undefined): Promise<Ack<Seat>>;
  roleAtRegistration(username: string): UserRole;
  /** After the account was created: makes the first account the admin; refuses a registration that only an empty server let in and that lost the race for it. */
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
export function createRegistrationPolicy(deps: { users: Pick<UserStore, 'count' | 'setDeactivated'>; live: Pick<LiveSettings, 'fresh'>; invitations: Pick<Invitations, 'redeem'>; roles: Roles; now: () => Date }): RegistrationPolicy {
  const seat = (mode: RegistrationMode, isFirstCandidate: boolean, use?: InvitationUse): Seat => ({ mode, isFirstCandidate, release: async () => use?.release() });

  return {
    async admit(invitationToken) {
      const { registration: mode } = await deps.live.fresh();
      if ((await deps.users.count()) === 0) return ok(seat(mode, true));
      if (mode === 'closed') return fail('registration_closed', CLOSED);
      const use = invitationToken === undefined ? null : await deps.invitations.redeem(invitationToken);
      if (use) return ok(seat(mode, false, use));
      if (mode === 'open') return ok(seat(mode, false));
      return invitationToken === undefined ? fail('registration_closed', INVITATION_ONLY) : fail('invitation_invalid', INVALID_INVITATION);
    },

    roleAtRegistration: (username) => deps.roles.roleAtRegistration(username),

    async settle(user, admitted) {
      if (!admitted.isFirstCandidate) return ok(user);
      const claimed = await deps.roles.claimFirst(user);
      if (claimed.isFirst || admitted.mode === 'open') return ok(claimed.user);
      // Several registrations raced for an empty server that is not open: only the first may
      // stay. The store has no way to delete an account; this one is left deactivated, with no
      // session, so it can never be used (an admin sees it in the user list).
      await deps.users.setDeactivated(user.id, { deactivatedAt: deps.now() });
      return fail('registration_closed', admitted.mode === 'closed' ? CLOSED : INVITATION_ONLY);
    },

    atSignIn: (user) => deps.roles.atSignIn(user),
  };
}
