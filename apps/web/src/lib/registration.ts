import type { RegistrationMode } from '@confab/shared';

/**
 * What the sign-up page shows: `loading` until the server said who may register; `closed` (no
 * form: ask an admin); `needsInvitation` (invitation only, and the address carries none); `form`
 * otherwise, also when the settings could not be read (the server's answer to the form says why).
 */
export type SignUpState = 'loading' | 'closed' | 'needsInvitation' | 'form';

export function signUpState(mode: RegistrationMode | null, isLoading: boolean, invitation: string | null): SignUpState {
  if (mode === null) return isLoading ? 'loading' : 'form';
  if (mode === 'closed') return 'closed';
  if (mode === 'invitation' && !invitation) return 'needsInvitation';
  return 'form';
}

/** The invitation token of `/signup?invitation=<token>`, or null (a repeated or empty parameter counts as none). */
export function invitationFrom(query: unknown): string | null {
  return typeof query === 'string' && query.trim() !== '' ? query.trim() : null;
}
