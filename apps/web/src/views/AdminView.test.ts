import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createApp, defineComponent, h, nextTick, type App } from 'vue';
import { RouterView, createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { AdminUserDto, AuditEntryDto, ReportDto } from '@confab/shared';
import { i18n } from '../i18n';
import { adminRequest, openAdminConnection } from '../services/admin';
import { useSessionStore } from '../stores/session';
import { message } from '../testing/factories';
import AdminView from './AdminView.vue';

vi.mock('../services/admin', () => ({ openAdminConnection: vi.fn(), adminRequest: vi.fn() }));
vi.mock('../services/settings', () => ({ fetchSettings: vi.fn(() => new Promise(() => undefined)) }));

const ADA = { id: 'a'.repeat(24), username: 'ada', displayName: 'Ada', role: 'admin' as const };
const HOSTILE = '<img src=x onerror="window.hacked=1">**bold**';
let answers: Record<string, unknown>;

const flush = async () => {
  for (let i = 0; i < 5; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await nextTick();
  }
};

describe('AdminView', () => {
  let app: App | null = null;
  let router: Router;
  let pinia: Pinia;
  let host: HTMLElement;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    useSessionStore().user = ADA;
    answers = {};
    vi.mocked(openAdminConnection).mockImplementation((handlers) => {
      handlers.onConnect();
      return () => undefined;
    });
    vi.mocked(adminRequest).mockImplementation(((event: string) => Promise.resolve(answers[event] ?? { ok: false, error: { code: 'forbidden', message: 'Only admins may do this.' } })) as unknown as typeof adminRequest);
    router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'lobby', component: defineComponent(() => () => h('p', 'lobby')) },
        { path: '/account', name: 'account', component: defineComponent(() => () => h('p', 'account')) },
        { path: '/admin/:section?', name: 'admin', component: AdminView },
      ],
    });
  });
  afterEach(() => {
    app?.unmount();
    app = null;
    host?.remove();
  });

  async function open(path: string): Promise<HTMLElement> {
    app = createApp(defineComponent(() => () => h(RouterView)));
    app.use(pinia).use(router).use(i18n);
    await router.push(path);
    host = document.createElement('div');
    document.body.append(host);
    app.mount(host);
    await flush();
    return host;
  }

  it('a forbidden answer is shown as an error with a retry, and the screen stays up', async () => {
    const page = await open('/admin');
    expect(page.querySelector('[data-testid="admin-load-error"]')?.textContent).toContain('Only admins may do this.');
    expect(page.querySelector('[data-testid="admin-title"]')?.textContent).toBe('Administration');
    answers['admin:audit'] = { ok: false, error: { code: 'forbidden', message: 'Only admins may do this.' } };
    await router.push('/admin/audit');
    await flush();
    expect(page.querySelectorAll('[data-testid="admin-load-error"]')).toHaveLength(1);
    expect(page.querySelector('[aria-current="page"]')?.getAttribute('data-testid')).toBe('admin-tab-audit');
  });

  it("reports and the audit log show other people's text as text, never as markup", async () => {
    const reported = message(2, { body: HOSTILE, author: { id: 'b'.repeat(24), name: '<b>Bob</b>' } });
    const report: ReportDto = { id: '1'.repeat(24), message: reported, context: [message(1), reported, message(3)], roomLabel: '#general', reporter: { id: ADA.id, name: 'Ada' }, reason: '<script>bad()</script>', createdAt: '2026-03-01T12:00:00.000Z', status: 'open' };
    answers['admin:reports'] = { ok: true, data: { reports: [report], hasMore: false } };
    const page = await open('/admin/reports');
    const lines = [...page.querySelectorAll('[data-testid="admin-report-message"]')];
    expect(lines.map((l) => l.hasAttribute('data-reported'))).toEqual([false, true, false]);
    expect(page.querySelector('[data-reported] [data-testid="admin-report-body"]')?.textContent).toBe(HOSTILE);
    expect(page.querySelector('[data-testid="admin-report-reason"]')?.textContent).toBe('<script>bad()</script>');
    expect(page.querySelector('[data-testid="admin-reports"] img, [data-testid="admin-reports"] script, [data-testid="admin-reports"] strong, [data-testid="admin-reports"] b')).toBeNull();

    const entry: AuditEntryDto = { id: '2'.repeat(24), at: '2026-03-01T12:00:00.000Z', actor: { id: ADA.id, name: 'Ada' }, action: 'user.ban', target: { kind: 'user', id: 'b'.repeat(24), label: HOSTILE }, details: { removedMessages: '3' } };
    answers['admin:audit'] = { ok: true, data: { entries: [entry], hasMore: false } };
    await router.push('/admin/audit');
    await flush();
    expect(page.querySelector('[data-testid="admin-audit-sentence"]')?.textContent).toBe(`Ada banned ${HOSTILE}`);
    expect(page.querySelector('[data-testid="admin-audit"] img')).toBeNull();
    expect(page.querySelector('[data-testid="admin-audit-details"]')?.textContent).toContain('Messages removed:3');
  });

  it('a ban asks first, says the removed messages cannot be brought back, and a cancelled one sends nothing', async () => {
    const bob: AdminUserDto = { id: 'b'.repeat(24), username: 'bob', displayName: 'Bob', role: 'member', createdAt: '2026-03-01T12:00:00.000Z' };
    answers['admin:users'] = { ok: true, data: { users: [{ ...ADA, createdAt: bob.createdAt }, bob], hasMore: false } };
    const page = await open('/admin/users');
    const rows = [...page.querySelectorAll<HTMLElement>('[data-testid="admin-user"]')];
    expect(rows.map((r) => r.dataset.username)).toEqual(['ada', 'bob']);
    // No actions on one's own row: an admin cannot ban or deactivate themselves.
    expect(rows[0]!.querySelector('[data-testid="admin-user-ban"]')).toBeNull();
    rows[1]!.querySelector<HTMLButtonElement>('[data-testid="admin-user-ban"]')!.click();
    await flush();
    const dialog = document.querySelector<HTMLElement>('[data-testid="admin-ban-dialog"]')!;
    expect(dialog.textContent).toContain('The removed messages cannot be brought back.');
    expect(dialog.querySelector('[data-testid="admin-ban-confirm"]')?.textContent?.trim()).toBe('Ban and remove all their messages');
    dialog.querySelector<HTMLButtonElement>('[data-testid="admin-ban-cancel"]')!.click();
    await flush();
    expect(vi.mocked(adminRequest).mock.calls.map(([event]) => event)).not.toContain('admin:user:ban');

    answers['admin:user:ban'] = { ok: true, data: { user: { ...bob, deactivatedAt: 'x', bannedAt: 'x' }, removedMessages: 2 } };
    rows[1]!.querySelector<HTMLButtonElement>('[data-testid="admin-user-ban"]')!.click();
    await flush();
    dialog.querySelector<HTMLButtonElement>('[data-testid="admin-ban-confirm"]')!.click();
    await flush();
    expect(vi.mocked(adminRequest)).toHaveBeenCalledWith('admin:user:ban', { userId: bob.id });
    const bobRow = page.querySelector<HTMLElement>('[data-username="bob"]')!;
    expect(bobRow.dataset.state).toBe('banned');
    expect(bobRow.querySelector('[data-testid="admin-user-notice"]')?.textContent).toBe('Bob is banned; 2 messages were removed.');
  });

  it('"Deactivate" and "Make admin" ask first, naming the user and what will happen; cancelled, nothing is sent', async () => {
    const bob: AdminUserDto = { id: 'b'.repeat(24), username: 'bob', displayName: 'Bob', role: 'member', createdAt: '2026-03-01T12:00:00.000Z' };
    answers['admin:users'] = { ok: true, data: { users: [bob], hasMore: false } };
    const page = await open('/admin/users');
    const row = () => page.querySelector<HTMLElement>('[data-username="bob"]')!;
    const sent = () => vi.mocked(adminRequest).mock.calls.map(([event]) => event);

    row().querySelector<HTMLButtonElement>('[data-testid="admin-user-active-toggle"]')!.click();
    await flush();
    let dialog = document.querySelector<HTMLElement>('[data-testid="admin-deactivate-dialog"]')!;
    expect(dialog.querySelector('h2')?.textContent).toBe('Deactivate Bob?');
    expect(dialog.textContent).toContain('Bob is signed out everywhere at once');
    dialog.querySelector<HTMLButtonElement>('[data-testid="admin-deactivate-cancel"]')!.click();
    await flush();
    expect(sent()).not.toContain('admin:user:deactivate');

    row().querySelector<HTMLButtonElement>('[data-testid="admin-user-role-toggle"]')!.click();
    await flush();
    dialog = document.querySelector<HTMLElement>('[data-testid="admin-role-dialog"]')!;
    expect(dialog.querySelector('h2')?.textContent).toBe('Make Bob an admin?');
    dialog.querySelector<HTMLButtonElement>('[data-testid="admin-role-cancel"]')!.click();
    await flush();
    expect(sent()).not.toContain('admin:user:role');

    // Confirmed: sent once, and the row says what happened.
    answers['admin:user:deactivate'] = { ok: true, data: { ...bob, deactivatedAt: '2026-03-02T12:00:00.000Z' } };
    row().querySelector<HTMLButtonElement>('[data-testid="admin-user-active-toggle"]')!.click();
    await flush();
    document.querySelector<HTMLButtonElement>('[data-testid="admin-deactivate-confirm"]')!.click();
    await flush();
    expect(vi.mocked(adminRequest)).toHaveBeenCalledWith('admin:user:deactivate', { userId: bob.id });
    expect(row().dataset.state).toBe('deactivated');
    expect(row().querySelector('[data-testid="admin-user-notice"]')?.textContent).toBe('Bob is deactivated and signed out everywhere.');
  });

  it('a refused role change shows in the dialog, which stays open', async () => {
    const carol: AdminUserDto = { id: 'c'.repeat(24), username: 'carol', displayName: 'Carol', role: 'admin', createdAt: '2026-03-01T12:00:00.000Z' };
    answers['admin:users'] = { ok: true, data: { users: [carol], hasMore: false } };
    answers['admin:user:role'] = { ok: false, error: { code: 'forbidden', message: 'The last admin cannot be demoted.' } };
    const page = await open('/admin/users');
    page.querySelector<HTMLButtonElement>('[data-username="carol"] [data-testid="admin-user-role-toggle"]')!.click();
    await flush();
    const dialog = document.querySelector<HTMLDialogElement>('[data-testid="admin-role-dialog"]')!;
    expect(dialog.querySelector('h2')?.textContent).toBe('Remove Carol as admin?');
    dialog.querySelector<HTMLButtonElement>('[data-testid="admin-role-confirm"]')!.click();
    await flush();
    expect(vi.mocked(adminRequest)).toHaveBeenCalledWith('admin:user:role', { userId: carol.id, role: 'member' });
    expect(dialog.querySelector('[data-testid="admin-role-error"]')?.textContent).toBe('The last admin cannot be demoted.');
    expect(dialog.open).toBe(true);
  });

  it('an admin named in ADMIN_USERNAMES is marked so, and offers no demotion, deactivation or ban', async () => {
    const root: AdminUserDto = { id: 'd'.repeat(24), username: 'root', displayName: 'Root', role: 'admin', configuredAdmin: true, createdAt: '2026-03-01T12:00:00.000Z' };
    const erin: AdminUserDto = { id: 'e'.repeat(24), username: 'erin', displayName: 'Erin', role: 'admin', createdAt: '2026-03-01T12:00:00.000Z' };
    answers['admin:users'] = { ok: true, data: { users: [root, erin], hasMore: false } };
    const page = await open('/admin/users');
    const rootRow = page.querySelector<HTMLElement>('[data-username="root"]')!;
    expect(rootRow.querySelector('[data-testid="admin-user-configured"]')?.textContent).toContain('Admin by configuration (ADMIN_USERNAMES)');
    for (const control of ['admin-user-role-toggle', 'admin-user-active-toggle', 'admin-user-ban']) expect(rootRow.querySelector(`[data-testid="${control}"]`)).toBeNull();
    // Another admin, not configured, keeps every control.
    const erinRow = page.querySelector<HTMLElement>('[data-username="erin"]')!;
    expect(erinRow.querySelector('[data-testid="admin-user-configured"]')).toBeNull();
    expect(erinRow.querySelector('[data-testid="admin-user-role-toggle"]')?.textContent?.trim()).toBe('Remove admin…');
  });

  it('the audit log shows when each action was done as a date and time to the second, with how long ago beside it', async () => {
    const at = '2026-03-01T12:00:07.000Z';
    const entry: AuditEntryDto = { id: '2'.repeat(24), at, actor: { id: ADA.id, name: 'Ada' }, action: 'user.deactivate', target: { kind: 'user', id: 'b'.repeat(24), label: 'Bob' } };
    answers['admin:audit'] = { ok: true, data: { entries: [entry], hasMore: false } };
    const page = await open('/admin/audit');
    const time = page.querySelector<HTMLTimeElement>('[data-testid="admin-audit-time"]')!;
    expect(time.tagName).toBe('TIME');
    expect(time.dateTime).toBe(at);
    const expected = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(new Date(at));
    expect(time.textContent).toBe(expected);
    expect(time.textContent).toContain('2026');
    expect(page.querySelector('[data-testid="admin-audit-ago"]')?.textContent).toMatch(/^\(.+ ago\)$/);
  });
});
