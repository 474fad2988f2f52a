import type { AdminUserDto, AuditEntryDto, InvitationDto } from '@confab/shared';
import type { InvitationRecord, UserRecord } from '../../store/ports.js';
import { toUserDto } from '../toDto.js';

/** A user as admins see them: role, registration and deactivation, and whether `ADMIN_USERNAMES` names them (`isConfiguredAdmin`). */
export function toAdminUserDto(user: UserRecord, isConfiguredAdmin = false): AdminUserDto {
  return {
    ...toUserDto(user),
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    ...(user.deactivatedAt ? { deactivatedAt: user.deactivatedAt.toISOString() } : {}),
    ...(user.bannedAt ? { bannedAt: user.bannedAt.toISOString() } : {}),
    ...(isConfiguredAdmin ? { configuredAdmin: true as const } : {}),
  };
}

/** An invitation as listed; the token only when it was just made (it is never stored); `isPaused` as the list found its maker. */
export function toInvitationDto(invitation: InvitationRecord, token?: string, isPaused = false): InvitationDto {
  return {
    id: invitation.id,
    ...(token ? { token } : {}),
    createdBy: { id: invitation.createdBy.id, name: invitation.createdBy.name },
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    maxUses: invitation.maxUses,
    uses: invitation.uses,
    ...(invitation.revokedAt ? { revokedAt: invitation.revokedAt.toISOString() } : {}),
    ...(isPaused ? { isPaused: true as const } : {}),
  };
}

/** The audit log's target for a user. */
export function userTarget(user: Pick<UserRecord, 'id' | 'username'>): AuditEntryDto['target'] {
  return { kind: 'user', id: user.id, label: user.username };
}
