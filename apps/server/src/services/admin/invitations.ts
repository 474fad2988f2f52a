import { createHash, randomBytes } from 'node:crypto';
import { fail, ok, type Ack, type AuthorDto, type InvitationDto } from '@confab/shared';
import type { InvitationRecord, InvitationStore } from '../../store/ports.js';
import { newObjectIdHex } from '../../store/ids.js';
import { toInvitationDto } from './adminDtos.js';
import type { AuditLog } from './auditLog.js';

/** What the server keeps of a token: its SHA-256, hex. A leaked database holds no usable link. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** One taken use of an invitation, given back if the registration it was for fails. */
export interface InvitationUse {
  invitation: InvitationRecord;
  release(): Promise<void>;
}

/** A link found usable by its token, no use taken yet (see `peek`). */
export interface UsableInvitation {
  invitation: InvitationRecord;
  /** Takes one of its uses, atomically; null when the last one went meanwhile. */
  take(): Promise<InvitationUse | null>;
}

const NOT_FOUND = 'There is no such invitation.';

/** Invitation links: made, listed and revoked by admins (and members while `membersCanInvite`), redeemed at registration. */
export function createInvitations(deps: {
  invitations: InvitationStore;
  audit: AuditLog;
  now: () => Date;
  /**
   * Whether the link's maker may make links now: a link is only as good as its maker's right to
   * invite, so a banned or deactivated member's links, and members' links once admins turn
   * `membersCanInvite` off, register nobody (they count again if the right comes back).
   */
  mayInvite: (userId: string) => Promise<boolean>;
}) {
  const target = (invitation: InvitationRecord) => ({ kind: 'invitation' as const, id: invitation.id, label: `invitation by ${invitation.createdBy.name}` });

  /** A link that could register someone now: it exists, is not revoked or expired, and has a use left (as last read). */
  function isUsable(invitation: InvitationRecord | null): invitation is InvitationRecord {
    return invitation !== null && !invitation.revokedAt && invitation.expiresAt.getTime() > deps.now().getTime() && invitation.uses < invitation.maxUses;
  }

  return {
    /** Makes a link; the token is in this answer only (32 random bytes, base64url). */
    async create(actor: AuthorDto, input: { expiresInHours: number; maxUses: number }): Promise<InvitationDto> {
      const token = randomBytes(32).toString('base64url');
      const createdAt = deps.now();
      const invitation: InvitationRecord = {
        id: newObjectIdHex(),
        tokenHash: hashInvitationToken(token),
        createdBy: { id: actor.id, name: actor.name },
        createdAt,
        expiresAt: new Date(createdAt.getTime() + input.expiresInHours * 3_600_000),
        maxUses: input.maxUses,
        revokedAt: null,
        uses: 0,
      };
      await deps.invitations.create(invitation);
      await deps.audit.record(actor, 'invitation.create', target(invitation), { maxUses: String(input.maxUses), expiresAt: invitation.expiresAt.toISOString() });
      return toInvitationDto(invitation, token);
    },

    /**
     * A page, newest first, before the invitation `before` when given; only `createdBy`'s when given.
     * A link that could register someone but for its maker's right to invite is marked `isPaused`;
     * that right is read once per maker on the page, not once per link.
     */
    async list(query: { createdBy?: string; before?: string; limit: number }): Promise<{ invitations: InvitationDto[]; hasMore: boolean }> {
      const records = await deps.invitations.list({ ...query, limit: query.limit + 1 });
      const page = records.slice(0, query.limit);
      const usable = page.filter((r) => isUsable(r));
      const makers = [...new Set(usable.map((r) => r.createdBy.id))];
      const mayInvite = new Map(await Promise.all(makers.map(async (id) => [id, await deps.mayInvite(id)] as const)));
      const invitations = page.map((r) => toInvitationDto(r, undefined, usable.includes(r) && !mayInvite.get(r.createdBy.id)));
      return { invitations, hasMore: records.length > query.limit };
    },

    /** Revokes a link; `onlyBy` limits it to that user's own (a member's). Refusal: `not_found`. */
    async revoke(actor: AuthorDto, id: string, onlyBy?: string): Promise<Ack<InvitationDto>> {
      const found = await deps.invitations.find(id);
      if (!found || (onlyBy !== undefined && found.createdBy.id !== onlyBy)) return fail('not_found', NOT_FOUND);
      const revoked = await deps.invitations.revoke(id, deps.now());
      if (!revoked) return fail('not_found', NOT_FOUND);
      if (!found.revokedAt) await deps.audit.record(actor, 'invitation.revoke', target(revoked));
      return ok(toInvitationDto(revoked));
    },

    /**
     * The link the token belongs to, if it could register someone now, without taking a use (a
     * registration checks its username first, and takes a use only when it can go through).
     * Unknown (forged), revoked, expired or used up all answer null alike, so a caller learns
     * nothing about links it does not hold.
     */
    async peek(token: string): Promise<UsableInvitation | null> {
      const invitation = await deps.invitations.findByTokenHash(hashInvitationToken(token));
      if (!isUsable(invitation) || !(await deps.mayInvite(invitation.createdBy.id))) return null;
      return {
        invitation,
        async take() {
          const use = await deps.invitations.takeUse(invitation.id, invitation.maxUses, deps.now());
          return use === null ? null : { invitation, release: () => deps.invitations.releaseUse(invitation.id, use) };
        },
      };
    },
  };
}

export type Invitations = ReturnType<typeof createInvitations>;
