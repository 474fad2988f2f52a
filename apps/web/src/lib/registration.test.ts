import { describe, expect, it } from 'vitest';
import { invitationFrom, signUpState } from './registration';

describe('what the sign-up page shows', () => {
  it('follows the server\'s registration mode and the invitation in the address', () => {
    expect(signUpState('open', false, null)).toBe('form');
    expect(signUpState('open', false, 'tok')).toBe('form');
    expect(signUpState('closed', false, null)).toBe('closed');
    // A link cannot open a closed server.
    expect(signUpState('closed', false, 'tok')).toBe('closed');
    expect(signUpState('invitation', false, null)).toBe('needsInvitation');
    expect(signUpState('invitation', false, 'tok')).toBe('form');
  });

  it('waits for the mode while it loads, and shows the form when it cannot be read (the server will answer the form)', () => {
    expect(signUpState(null, true, null)).toBe('loading');
    expect(signUpState(null, false, null)).toBe('form');
    // Known already, being read again: what is known stays on screen.
    expect(signUpState('closed', true, null)).toBe('closed');
  });

  it('reads the invitation token from the query, ignoring a blank or repeated parameter', () => {
    expect(invitationFrom('abc')).toBe('abc');
    expect(invitationFrom('  ')).toBeNull();
    expect(invitationFrom(['a', 'b'])).toBeNull();
    expect(invitationFrom(undefined)).toBeNull();
  });
});
