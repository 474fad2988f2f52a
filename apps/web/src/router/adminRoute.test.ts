import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ServerSettings, UserDto } from '@confab/shared';
import { fetchMe } from '../services/auth';
import { fetchSettings } from '../services/settings';
import { useAttentionStore } from '../stores/attention';
import { useSessionStore } from '../stores/session';
import { useSettingsStore } from '../stores/settings';
import { createAppRouter } from './index';

vi.mock('../services/auth', () => ({ fetchMe: vi.fn() }));
vi.mock('../services/settings', () => ({ fetchSettings: vi.fn() }));
// Which screen a route resolves to is not the point here: every screen is an empty component.
const fetched = vi.hoisted(() => ({ adminView: 0 }));
vi.mock('../views/AdminView.vue', () => {
  fetched.adminView += 1;
  return { default: { name: 'AdminView', render: () => null } };
});
vi.mock('../views/LobbyView.vue', () => ({ default: { name: 'LobbyView', render: () => null } }));
vi.mock('../components/layout/LayoutShell.vue', () => ({ default: { name: 'LayoutShell', render: () => null } }));

const member: UserDto = { id: 'b'.repeat(24), username: 'bob', displayName: 'Bob', role: 'member' };
const admin: UserDto = { ...member, id: 'a'.repeat(24), username: 'ada', role: 'admin' };

beforeEach(() => {
  setActivePinia(createPinia());
  history.replaceState(null, '', '/');
});

describe('the administration route', () => {
  it('sends a member to the lobby, as for an address that does not exist, without loading the screen', async () => {
    vi.mocked(fetchMe).mockResolvedValue(member);
    const router = createAppRouter();
    await router.push('/admin/users');
    expect(router.currentRoute.value.name).toBe('lobby');
    // The guard runs before the screen's chunk is fetched (this test runs first in the file).
    expect(fetched.adminView).toBe(0);
    // A section that does not exist is no admin route at all.
    vi.mocked(fetchMe).mockResolvedValue(admin);
    const adminRouter = createAppRouter();
    await adminRouter.push('/admin/secrets');
    expect(adminRouter.currentRoute.value.name).toBe('lobby');
  });

  it('takes an admin to the section asked for', async () => {
    vi.mocked(fetchMe).mockResolvedValue(admin);
    const router = createAppRouter();
    await router.push('/admin/reports');
    expect(router.currentRoute.value.name).toBe('admin');
    expect(fetched.adminView).toBe(1);
    expect(router.currentRoute.value.params.section).toBe('reports');
    await router.push('/admin');
    expect(router.currentRoute.value.name).toBe('admin');
  });

  it('an admin demoted while the screen is open is sent to the lobby, and one whose account changed otherwise stays', async () => {
    vi.mocked(fetchMe).mockResolvedValue(admin);
    const router = createAppRouter();
    await router.push('/admin/users');
    const session = useSessionStore();
    // What session:changed reads: the same admin under a new name.
    vi.mocked(fetchMe).mockResolvedValue({ ...admin, displayName: 'Ada L.' });
    await session.refresh();
    await vi.waitFor(() => expect(session.user?.displayName).toBe('Ada L.'));
    expect(router.currentRoute.value.name).toBe('admin');

    vi.mocked(fetchMe).mockResolvedValue({ ...admin, role: 'member' });
    await session.refresh();
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('lobby'));
  });

  it('sends someone signed out to sign in first', async () => {
    vi.mocked(fetchMe).mockResolvedValue(null);
    const router = createAppRouter();
    await router.push('/admin');
    expect(router.currentRoute.value.name).toBe('signin');
    expect(router.currentRoute.value.query.redirect).toBe('/admin');
  });

  it("the tab names a server called otherwise than the app after the screen's name", async () => {
    vi.mocked(fetchMe).mockResolvedValue(admin);
    const router = createAppRouter();
    await router.push('/admin');
    const attention = useAttentionStore();
    expect(attention.pageTitle).toBe('Administration');
    vi.mocked(fetchSettings).mockResolvedValue({ serverName: 'Acme', registration: 'open' } as ServerSettings);
    await useSettingsStore().load();
    expect(attention.pageTitle).toBe('Administration · Acme');
  });
});
