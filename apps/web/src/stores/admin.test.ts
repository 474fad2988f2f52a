import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AdminUserDto, InvitationDto, ReportDto } from '@confab/shared';
import { adminRequest, openAdminConnection, type AdminConnectionHandlers } from '../services/admin';
import { message } from '../testing/factories';
import { useAdminStore } from './admin';

vi.mock('../services/admin', () => ({ openAdminConnection: vi.fn(), adminRequest: vi.fn() }));
vi.mock('../services/settings', () => ({ fetchSettings: vi.fn(() => new Promise(() => undefined)) }));

const ADA = { id: 'a'.repeat(24), name: 'Ada' };
const disconnect = vi.fn();
let handlers: AdminConnectionHandlers;
/** Each request's answers, by event, in order; a request with none left never answers. */
let answers: Record<string, unknown[]>;
const asked: [string, unknown][] = [];

function report(id: string, messageSeq: number, overrides: Partial<ReportDto> = {}): ReportDto {
  const reported = message(messageSeq);
  return { id, message: reported, context: [reported], roomLabel: 'Lobby', reporter: ADA, reason: '', createdAt: '2026-03-01T12:00:00.000Z', status: 'open', ...overrides };
}

beforeEach(() => {
  setActivePinia(createPinia());
  answers = {};
  asked.length = 0;
  disconnect.mockReset();
  vi.mocked(openAdminConnection).mockImplementation((h) => {
    handlers = h;
    return disconnect;
  });
  vi.mocked(adminRequest).mockImplementation(((event: string, payload: unknown) => {
    asked.push([event, payload]);
    const next = answers[event]?.shift();
    return next === undefined ? new Promise(() => undefined) : Promise.resolve(next);
  }) as typeof adminRequest);
});

const ok = <T>(data: T) => ({ ok: true, data });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the administration store', () => {
  it('loads the section on screen once connected, and again after a reconnect', async () => {
    const admin = useAdminStore();
    admin.show('reports');
    admin.open();
    expect(admin.connection).toBe('connecting');
    expect(asked).toEqual([]);
    answers['admin:reports'] = [ok({ reports: [report('1'.repeat(24), 1)], hasMore: false }), ok({ reports: [], hasMore: false })];
    handlers.onConnect();
    await settle();
    expect(asked).toEqual([['admin:reports', { status: 'open' }]]);
    expect(admin.reports.items).toHaveLength(1);
    handlers.onDisconnect();
    expect(admin.connection).toBe('connecting');
    handlers.onConnect();
    await settle();
    expect(admin.reports.items).toEqual([]);
  });

  it('a refusal is kept as an error to show, and changes nothing held', async () => {
    const admin = useAdminStore();
    admin.open();
    answers['admin:settings'] = [{ ok: false, error: { code: 'forbidden', message: 'admins only' } }];
    handlers.onConnect();
    await settle();
    expect(admin.settings).toBeNull();
    expect(admin.settingsLoad).toEqual({ status: 'error', error: { code: 'forbidden', message: 'admins only' } });
  });

  it('pages through the audit log from its last entry', async () => {
    const admin = useAdminStore();
    admin.show('audit');
    admin.open();
    const at = '2026-03-01T12:00:00.000Z';
    const entry = (id: string) => ({ id, at, actor: ADA, action: 'user.ban' as const, target: { kind: 'user' as const, id: 'b'.repeat(24), label: 'Bob' } });
    answers['admin:audit'] = [ok({ entries: [entry('9'.repeat(24)), entry('8'.repeat(24))], hasMore: true }), ok({ entries: [entry('7'.repeat(24))], hasMore: false })];
    handlers.onConnect();
    await settle();
    await admin.loadAudit(true);
    expect(asked.at(-1)).toEqual(['admin:audit', { before: '8'.repeat(24) }]);
    expect(admin.audit.items.map((e) => e.id[0])).toEqual(['9', '8', '7']);
    expect(admin.audit.hasMore).toBe(false);
    await admin.loadAudit(true);
    expect(asked).toHaveLength(2);
  });

  it('an answer for a list asked for again meanwhile is dropped, and closing forgets everything shown', async () => {
    const admin = useAdminStore();
    let releaseOpen!: (value: unknown) => void;
    answers['admin:reports'] = [new Promise((resolve) => (releaseOpen = resolve)), ok({ reports: [report('2'.repeat(24), 2, { status: 'dismissed' })], hasMore: false })];
    const first = admin.loadReports(false);
    await admin.setShowAllReports(true);
    releaseOpen(ok({ reports: [report('1'.repeat(24), 1)], hasMore: false }));
    await first;
    expect(asked.map(([, payload]) => payload)).toEqual([{ status: 'open' }, { status: 'all' }]);
    expect(admin.reports.items.map((r) => r.status)).toEqual(['dismissed']);

    admin.open();
    admin.close();
    expect(disconnect).toHaveBeenCalledOnce();
    expect(admin.reports.items).toEqual([]);
    expect(admin.connection).toBe('closed');
  });

  it('removing a reported message resolves the other open reports of that message too', async () => {
    const admin = useAdminStore();
    admin.show('reports');
    admin.open();
    const first = report('1'.repeat(24), 5);
    const second = report('2'.repeat(24), 5);
    const other = report('3'.repeat(24), 6);
    answers['admin:reports'] = [ok({ reports: [first, second, other], hasMore: false })];
    handlers.onConnect();
    await settle();
    const removed = { ...message(5), body: '', recalledAt: '2026-03-01T13:00:00.000Z', removedByModerator: true as const };
    answers['admin:report:resolve'] = [ok({ ...first, status: 'removed', message: removed, resolvedBy: ADA, resolvedAt: '2026-03-01T13:00:00.000Z' })];
    const res = await admin.resolveReport(first.id, 'remove');
    expect(res.ok).toBe(true);
    expect(admin.reports.items.map((r) => r.status)).toEqual(['removed', 'removed', 'open']);
    expect(admin.reports.items[1]!.message.removedByModerator).toBe(true);
    expect(admin.reports.items[2]!.message.body).toBe('message 6');
  });

  it('pages through the invitation links from the last one shown, a new link on top not getting in the way', async () => {
    const admin = useAdminStore();
    admin.show('invitations');
    admin.open();
    const link = (id: string): InvitationDto => ({ id, createdBy: ADA, createdAt: '2026-03-01T12:00:00.000Z', expiresAt: '2026-03-08T12:00:00.000Z', maxUses: 1, uses: 0 });
    answers['invitation:list'] = [ok({ invitations: [link('9'.repeat(24)), link('8'.repeat(24))], hasMore: true }), ok({ invitations: [link('7'.repeat(24))], hasMore: false })];
    handlers.onConnect();
    await settle();
    expect(asked).toEqual([['invitation:list', {}]]);
    expect(admin.invitations.hasMore).toBe(true);
    answers['invitation:create'] = [ok({ ...link('a'.repeat(24)), token: 't'.repeat(43) })];
    await admin.createInvitation(24, 1);
    await admin.loadInvitations(true);
    expect(asked.at(-1)).toEqual(['invitation:list', { before: '8'.repeat(24) }]);
    expect(admin.invitations.items.map((i) => i.id[0])).toEqual(['a', '9', '8', '7']);
    expect(admin.invitations).toMatchObject({ hasMore: false, status: 'done' });
    await admin.loadInvitations(true);
    expect(asked.filter(([event]) => event === 'invitation:list')).toHaveLength(2);
  });

  it('a page of links that fails keeps the links shown, and asking again asks for that page', async () => {
    const admin = useAdminStore();
    const link = (id: string): InvitationDto => ({ id, createdBy: ADA, createdAt: '2026-03-01T12:00:00.000Z', expiresAt: '2026-03-08T12:00:00.000Z', maxUses: 1, uses: 0 });
    answers['invitation:list'] = [ok({ invitations: [link('9'.repeat(24))], hasMore: true }), { ok: false, error: { code: 'rate_limited', message: 'slow down' } }, ok({ invitations: [link('8'.repeat(24))], hasMore: false })];
    await admin.loadInvitations(false);
    await admin.loadInvitations(true);
    expect(admin.invitations).toMatchObject({ status: 'error', hasMore: true, error: { code: 'rate_limited' } });
    expect(admin.invitations.items.map((i) => i.id[0])).toEqual(['9']);
    await admin.loadInvitations(true);
    expect(asked.map(([, payload]) => payload)).toEqual([{}, { before: '9'.repeat(24) }, { before: '9'.repeat(24) }]);
    expect(admin.invitations.items.map((i) => i.id[0])).toEqual(['9', '8']);
  });

  it('a new invitation joins the list without its token, which only the creating screen shows', async () => {
    const admin = useAdminStore();
    const made: InvitationDto = { id: '4'.repeat(24), token: 't'.repeat(43), createdBy: ADA, createdAt: '2026-03-01T12:00:00.000Z', expiresAt: '2026-03-08T12:00:00.000Z', maxUses: 3, uses: 0 };
    answers['invitation:create'] = [ok(made)];
    const res = await admin.createInvitation(168, 3);
    expect(asked).toEqual([['invitation:create', { expiresInHours: 168, maxUses: 3 }]]);
    expect(res.ok && res.data.token).toBe('t'.repeat(43));
    const { token: _token, ...listed } = made;
    expect(admin.invitations.items).toEqual([listed]);
  });

  it('a user changed by an action is replaced in the list; a refused action leaves it as it was', async () => {
    const admin = useAdminStore();
    admin.show('users');
    admin.open();
    const bob: AdminUserDto = { id: 'b'.repeat(24), username: 'bob', displayName: 'Bob', role: 'member', createdAt: '2026-03-01T12:00:00.000Z' };
    answers['admin:users'] = [ok({ users: [bob], hasMore: false })];
    handlers.onConnect();
    await settle();
    expect(admin.userItems).toEqual([bob]);
    answers['admin:user:role'] = [{ ok: false, error: { code: 'last_admin', message: 'the last admin' } }, ok({ ...bob, role: 'admin' })];
    expect((await admin.setRole(bob.id, 'admin')).ok).toBe(false);
    expect(admin.userItems[0]!.role).toBe('member');
    await admin.setRole(bob.id, 'admin');
    expect(admin.userItems[0]!.role).toBe('admin');
    answers['admin:user:ban'] = [ok({ user: { ...bob, deactivatedAt: 'x', bannedAt: 'x' }, removedMessages: 4 })];
    await admin.ban(bob.id);
    expect(admin.userItems[0]!.bannedAt).toBe('x');
  });

  it('searches users as typed, from the page after the last username', async () => {
    vi.useFakeTimers();
    try {
      const admin = useAdminStore();
      const user = (name: string): AdminUserDto => ({ id: name.padEnd(24, '0'), username: name, displayName: name, role: 'member', createdAt: '2026-03-01T12:00:00.000Z' });
      answers['admin:users'] = [ok({ users: [user('Bea')], hasMore: true }), ok({ users: [user('bob')], hasMore: false })];
      admin.userQuery = ' b';
      await vi.advanceTimersByTimeAsync(300);
      expect(asked).toEqual([['admin:users', { query: 'b' }]]);
      await admin.loadMoreUsers();
      expect(asked.at(-1)).toEqual(['admin:users', { query: 'b', afterUsername: 'bea' }]);
      expect(admin.userItems.map((u) => u.username)).toEqual(['Bea', 'bob']);
      expect(admin.hasMoreUsers).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
