import { defineStore } from 'pinia';
import { computed, ref, shallowRef, type ShallowRef } from 'vue';
import type { AdminSettingsDto, AdminUserDto, AdminUserPage, AuditEntryDto, InvitationDto, ReportDto } from '@confab/shared';
import type { ShownError } from '../i18n/errors';
import type { AsyncStatus } from '../lib/roomMessages';
import { usePagedSearch } from '../composables/usePagedSearch';
import { adminRequest, openAdminConnection } from '../services/admin';
import type { Result } from '../services/request';
import { useSettingsStore } from './settings';

/** The administration screen's sections, in the order the screen lists them. */
export const ADMIN_SECTIONS = ['settings', 'users', 'invitations', 'reports', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** A list the screen shows and pages through; `error` is kept as what went wrong and worded when shown. */
interface Loaded<T> {
  items: T[];
  hasMore: boolean;
  status: AsyncStatus;
  error: ShownError | null;
}
const emptyList = <T>(): Loaded<T> => ({ items: [], hasMore: false, status: 'idle', error: null });

/**
 * The administration screen's state, over the `/admin` socket: connected while the screen is open
 * (`open`/`close`), and every section loaded when shown and again on every reconnect. Actions
 * resolve with the server's answer; the screen words refusals where they happened.
 */
export const useAdminStore = defineStore('admin', () => {
  const connection = ref<'closed' | 'connecting' | 'connected' | 'refused'>('closed');
  const connectionError = ref<ShownError | null>(null);
  const section = ref<AdminSection>('settings');
  const settings = ref<AdminSettingsDto | null>(null);
  const settingsLoad = ref<{ status: AsyncStatus; error: ShownError | null }>({ status: 'idle', error: null });
  const invitations = shallowRef<Loaded<InvitationDto>>(emptyList());
  const reports = shallowRef<Loaded<ReportDto>>(emptyList());
  const showAllReports = ref(false);
  const audit = shallowRef<Loaded<AuditEntryDto>>(emptyList());
  const users = usePagedSearch<AdminUserDto, AdminUserPage & { nextCursor?: string }>({
    debounceMs: 250,
    async fetchPage(query, cursor) {
      const res = await adminRequest('admin:users', { query: query.trim(), ...(cursor ? { afterUsername: cursor } : {}) });
      if (!res.ok) return res;
      const last = res.data.users.at(-1);
      return { ok: true, data: { ...res.data, nextCursor: res.data.hasMore && last ? last.username.toLowerCase() : undefined } };
    },
    itemsOf: (page) => page.users,
  });
  let disconnect: (() => void) | null = null;

  function open(): void {
    if (disconnect) return;
    connection.value = 'connecting';
    connectionError.value = null;
    disconnect = openAdminConnection({
      onConnect() {
        connection.value = 'connected';
        connectionError.value = null;
        void load(section.value);
      },
      onDisconnect() {
        if (disconnect) connection.value = 'connecting';
      },
      onRefused(error) {
        connection.value = 'refused';
        connectionError.value = error;
      },
    });
  }

  /** Disconnects and forgets everything shown: the next admin to open the screen starts afresh. */
  function close(): void {
    disconnect?.();
    disconnect = null;
    connection.value = 'closed';
    connectionError.value = null;
    settings.value = null;
    settingsLoad.value = { status: 'idle', error: null };
    invitations.value = emptyList();
    reports.value = emptyList();
    audit.value = emptyList();
    users.reset();
  }

  /** Tries a refused connection again (the retry button). */
  function reconnect(): void {
    close();
    open();
  }

  /** Shows `next` and loads what it lists. */
  function show(next: AdminSection): void {
    section.value = next;
    if (connection.value === 'connected') void load(next);
  }

  function load(which: AdminSection): Promise<void> {
    switch (which) {
      case 'settings':
        return loadSettings();
      case 'users':
        return users.search();
      case 'invitations':
        return loadInvitations(false);
      case 'reports':
        return loadReports(false);
      case 'audit':
        return loadAudit(false);
    }
  }

  async function loadSettings(): Promise<void> {
    settingsLoad.value = { status: 'loading', error: null };
    const res = await adminRequest('admin:settings', {});
    if (res.ok) settings.value = res.data;
    settingsLoad.value = res.ok ? { status: 'done', error: null } : { status: 'error', error: res.error };
  }

  async function saveSettings(patch: Partial<AdminSettingsDto>): Promise<Result<AdminSettingsDto>> {
    const res = await adminRequest('admin:settings:update', patch);
    if (res.ok) {
      settings.value = res.data;
      // What every screen reads (the server's name in the tab, the timings) follows at once here.
      void useSettingsStore().load();
    }
    return res;
  }

  /** Loads the first page of a list, or the next one (`isMore`); an answer for a list reset meanwhile is dropped. */
  async function loadList<T>(target: ShallowRef<Loaded<T>>, isMore: boolean, fetch: () => Promise<Result<{ items: T[]; hasMore: boolean }>>): Promise<void> {
    const before = target.value;
    if (isMore && (!before.hasMore || before.status === 'loading')) return;
    target.value = { ...before, status: 'loading', error: null };
    const started = target.value;
    const res = await fetch();
    if (target.value !== started) return;
    target.value = res.ok
      ? { items: isMore ? [...before.items, ...res.data.items] : res.data.items, hasMore: res.data.hasMore, status: 'done', error: null }
      : { ...before, status: 'error', error: res.error };
  }

  function loadReports(isMore: boolean): Promise<void> {
    const before = isMore ? reports.value.items.at(-1)?.id : undefined;
    return loadList(reports, isMore, async () => {
      const res = await adminRequest('admin:reports', { status: showAllReports.value ? 'all' : 'open', ...(before ? { before } : {}) });
      return res.ok ? { ok: true, data: { items: res.data.reports, hasMore: res.data.hasMore } } : res;
    });
  }

  function setShowAllReports(value: boolean): Promise<void> {
    showAllReports.value = value;
    reports.value = emptyList();
    return loadReports(false);
  }

  function loadAudit(isMore: boolean): Promise<void> {
    const before = isMore ? audit.value.items.at(-1)?.id : undefined;
    return loadList(audit, isMore, async () => {
      const res = await adminRequest('admin:audit', { ...(before ? { before } : {}) });
      return res.ok ? { ok: true, data: { items: res.data.entries, hasMore: res.data.hasMore } } : res;
    });
  }

  /** A member's own links, an admin's every link: the server decides which (the same event). */
  function loadInvitations(isMore: boolean): Promise<void> {
    const before = isMore ? invitations.value.items.at(-1)?.id : undefined;
    return loadList(invitations, isMore, async () => {
      const res = await adminRequest('invitation:list', { ...(before ? { before } : {}) });
      return res.ok ? { ok: true, data: { items: res.data.invitations, hasMore: res.data.hasMore } } : res;
    });
  }

  function putUser(user: AdminUserDto): void {
    users.items.value = users.items.value.map((u) => (u.id === user.id ? user : u));
  }

  async function setRole(userId: string, role: AdminUserDto['role'] & string): Promise<Result<AdminUserDto>> {
    const res = await adminRequest('admin:user:role', { userId, role });
    if (res.ok) putUser(res.data);
    return res;
  }

  async function setActive(userId: string, isActive: boolean): Promise<Result<AdminUserDto>> {
    const res = await adminRequest(isActive ? 'admin:user:reactivate' : 'admin:user:deactivate', { userId });
    if (res.ok) putUser(res.data);
    return res;
  }

  async function ban(userId: string): Promise<Result<{ user: AdminUserDto; removedMessages: number }>> {
    const res = await adminRequest('admin:user:ban', { userId });
    if (res.ok) putUser(res.data.user);
    return res;
  }

  async function createInvitation(expiresInHours: number, maxUses: number): Promise<Result<InvitationDto>> {
    const res = await adminRequest('invitation:create', { expiresInHours, maxUses });
    if (res.ok) {
      // The token is for the one screen that shows it: the list keeps the invitation without it.
      const { token: _token, ...listed } = res.data;
      invitations.value = { ...invitations.value, items: [listed, ...invitations.value.items] };
    }
    return res;
  }

  async function revokeInvitation(id: string): Promise<Result<InvitationDto>> {
    const res = await adminRequest('invitation:revoke', { id });
    if (res.ok) invitations.value = { ...invitations.value, items: invitations.value.items.map((i) => (i.id === id ? res.data : i)) };
    return res;
  }

  /**
   * Removes the reported message or dismisses the report. A removal resolves every open report
   * of that message on the server, so the others of it shown here turn resolved too.
   */
  async function resolveReport(id: string, action: 'remove' | 'dismiss'): Promise<Result<ReportDto>> {
    const res = await adminRequest('admin:report:resolve', { id, action });
    if (!res.ok) return res;
    const done = res.data;
    const isSameMessage = (r: ReportDto) => action === 'remove' && r.message.id === done.message.id && r.status === 'open';
    const items = reports.value.items.map((r) => (r.id === id ? done : isSameMessage(r) ? { ...r, status: done.status, message: done.message, resolvedBy: done.resolvedBy, resolvedAt: done.resolvedAt } : r));
    reports.value = { ...reports.value, items };
    return res;
  }

  return {
    connection,
    connectionError,
    section,
    settings,
    settingsLoad,
    userQuery: users.query,
    userItems: users.items,
    userStatus: users.status,
    userError: users.errorMessage,
    hasMoreUsers: computed(() => users.nextCursor.value !== undefined),
    searchUsers: users.search,
    loadMoreUsers: users.loadMore,
    invitations,
    reports,
    showAllReports,
    audit,
    open,
    close,
    reconnect,
    show,
    load,
    saveSettings,
    loadReports,
    setShowAllReports,
    loadAudit,
    loadInvitations,
    setRole,
    setActive,
    ban,
    createInvitation,
    revokeInvitation,
    resolveReport,
  };
});
