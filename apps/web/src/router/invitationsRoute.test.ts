import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ServerSettings, UserDto } from '@confab/shared';
import { fetchMe } from '../services/auth';
import { fetchSettings } from '../services/settings';
import { createAppRouter } from './index';

vi.mock('../services/auth', () => ({ fetchMe: vi.fn() }));
vi.mock('../services/settings', () => ({ fetchSettings: vi.fn() }));
// Which screen a route resolves to is not the point here: every screen is an empty component.
const fetched = vi.hoisted(() => ({ invitationsView: 0 }));
vi.mock('../views/InvitationsView.vue', () => {
  fetched.invitationsView += 1;
  return { default: { name: 'InvitationsView', render: () => null } };
});
vi.mock('../views/LobbyView.vue', () => ({ default: { name: 'LobbyView', render: () => null } }));
vi.mock('../components/layout/LayoutShell.vue', () => ({ default: { name: 'LayoutShell', render: () => null } }));

const member: UserDto = { id: 'b'.repeat(24), username: 'bob', displayName: 'Bob', role: 'member' };
const admin: UserDto = { ...member, id: 'a'.repeat(24), username: 'ada', role: 'admin' };
const settings = (membersCanInvite: boolean) => ({ serverName: 'Confab', registration: 'invitation', membersCanInvite, serverTime: new Date().toISOString() }) as ServerSettings;

beforeEach(() => {
  setActivePinia(createPinia());
  history.replaceState(null, '', '/');
  vi.mocked(fetchSettings).mockReset();
});

describe('the invitations route', () => {
  it('sends a member to the lobby while members may not invite, without loading the screen', async () => {
    vi.mocked(fetchMe).mockResolvedValue(member);
    vi.mocked(fetchSettings).mockResolvedValue(settings(false));
    const router = createAppRouter();
    await router.push('/invitations');
    expect(router.currentRoute.value.name).toBe('lobby');
    // The guard runs before the screen's chunk is fetched (this test runs first in the file).
    expect(fetched.invitationsView).toBe(0);
  });

  it('sends a member to the lobby when the settings cannot be read', async () => {
    vi.mocked(fetchMe).mockResolvedValue(member);
    vi.mocked(fetchSettings).mockRejectedValue(new TypeError('Failed to fetch'));
    const router = createAppRouter();
    await router.push('/invitations');
    expect(router.currentRoute.value.name).toBe('lobby');
  });

  it('takes a member there once an admin allows members to invite, reading the settings afresh', async () => {
    vi.mocked(fetchMe).mockResolvedValue(member);
    vi.mocked(fetchSettings).mockResolvedValue(settings(false));
    const router = createAppRouter();
    await router.push('/invitations');
    expect(router.currentRoute.value.name).toBe('lobby');
    // The same page, after an admin's change: no reload needed.
    vi.mocked(fetchSettings).mockResolvedValue(settings(true));
    await router.push('/invitations');
    expect(router.currentRoute.value.name).toBe('invitations');
    expect(fetched.invitationsView).toBe(1);
  });

  it('takes an admin there whatever the setting', async () => {
    vi.mocked(fetchMe).mockResolvedValue(admin);
    vi.mocked(fetchSettings).mockResolvedValue(settings(false));
    const router = createAppRouter();
    await router.push('/invitations');
    expect(router.currentRoute.value.name).toBe('invitations');
  });

  it('sends someone signed out to sign in first', async () => {
    vi.mocked(fetchMe).mockResolvedValue(null);
    const router = createAppRouter();
    await router.push('/invitations');
    expect(router.currentRoute.value.name).toBe('signin');
    expect(router.currentRoute.value.query.redirect).toBe('/invitations');
  });
});
