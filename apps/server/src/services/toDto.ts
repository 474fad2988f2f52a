import type { UserDto } from '@confab/shared';
import type { UserRecord } from '../store/ports.js';

/** The public view of a user: drops the password hash and anything else internal. */
export function toUserDto(user: UserRecord): UserDto {
  return { id: user.id, username: user.username, displayName: user.displayName };
}
