import { describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/passwords.js';
import { createSessionTokens } from '../src/auth/sessionTokens.js';
import { createAccountService } from '../src/services/accountService.js';
import { createMemoryStores } from '../src/store/memory/index.js';

// The account service on its own, where an interleaving the HTTP API cannot time can be staged.

function accountsOnMemory() {
  const stores = createMemoryStores();
  const now = () => new Date();
  const tokens = createSessionTokens({ secret: 'account-service-test-secret-0123456789abcdef', ttlMs: 60_000, now });
  return { stores, accounts: createAccountService({ users: stores.users, sessions: stores.sessions, tokens, now }) };
}

describe('the account service', () => {
  it('a session created by a sign-in that raced a password change does not outlive the old password', async () => {
    const { stores, accounts } = accountsOnMemory();
    const registered = await accounts.register({ username: 'rhea', password: 'the old password', displayName: 'Rhea' });
    if (!registered.ok) throw new Error(registered.error.code);
    // The sign-in checked the old password and creates its session after the change revoked
    // every existing one: only the new password hash stands between it and the account.
    const racing = await accounts.signIn({ username: 'rhea', password: 'the old password' });
    if (!racing.ok) throw new Error(racing.error.code);
    expect(await stores.users.setPasswordHash(registered.data.user.id, await hashPassword('the new password'))).toBe(true);

    expect(await accounts.authenticate(racing.data.session.token)).toBeNull();
    expect(await accounts.isSessionActive(racing.data.session.sessionId)).toBe(false);
    expect(await accounts.authenticate(registered.data.session.token)).toBeNull();
  });

  it('a password change keeps only the session it starts', async () => {
    const { accounts } = accountsOnMemory();
    const registered = await accounts.register({ username: 'sven', password: 'the old password', displayName: 'Sven' });
    if (!registered.ok) throw new Error(registered.error.code);
    const caller = await accounts.authenticate(registered.data.session.token);
    if (!caller) throw new Error('not signed in');

    const changed = await accounts.changePassword(caller, { currentPassword: 'the old password', newPassword: 'the new password' });
    if (!changed.ok) throw new Error(changed.error.code);

    const { role: _role, ...user } = registered.data.user;
    expect(await accounts.authenticate(changed.data.session.token)).toEqual({ user, role: 'member', sessionId: changed.data.session.sessionId, expiresAt: changed.data.session.expiresAt });
    expect(await accounts.isSessionActive(changed.data.session.sessionId)).toBe(true);
    expect(await accounts.authenticate(registered.data.session.token)).toBeNull();
    expect(await accounts.signIn({ username: 'sven', password: 'the new password' })).toMatchObject({ ok: true });
  });
});
