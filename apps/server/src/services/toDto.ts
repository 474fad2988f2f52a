import type { UserDto } from '@confab/shared';
import type { UserRecord } from '../store/ports.js';

/** The public view of a user: drops the password hash and anything else internal. */
export function toUserDto(user: UserRecord): UserDto {
  return { id: user.id, username: user.username, displayName: user.displayName };
}

/** The user as their own session responses show them (register, sign-in, `/api/auth/me`): with their role. */
export function toSessionUserDto(user: UserRecord): UserDto {
  return { ...toUserDto(user), role: user.role };
}
