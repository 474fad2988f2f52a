import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import type { InvitationDto } from '@confab/shared';
import { i18n, loadLocale } from '../../i18n';
import { adminRequest } from '../../services/admin';
import AdminInvitationRow from './AdminInvitationRow.vue';

// No server here: the test reads what the row asks the server.
vi.mock('../../services/admin', () => ({
  adminRequest: vi.fn(async () => ({ ok: false, error: { code: 'disconnected', message: '' } })),
  openAdminConnection: vi.fn(),
}));

const NOW = new Date(Date.UTC(2026, 2, 1, 12));
const LINK: InvitationDto = {
  id: '6b0f00000000000000000001',
  createdBy: { id: '6b0f000000000000000000aa', name: 'Mallory' },
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-08T10:00:00.000Z',
  maxUses: 3,
  uses: 0,
};
const hosts: HTMLElement[] = [];
let pinia: Pinia;

beforeEach(() => {
  vi.mocked(adminRequest).mockClear();
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(async () => {
  hosts.splice(0).forEach((host) => host.remove());
  await loadLocale('en');
});

async function render(invitation: InvitationDto): Promise<HTMLElement> {
  const host = document.createElement('ul');
  document.body.append(host);
  hosts.push(host);
  createApp({ render: () => h(AdminInvitationRow, { invitation, now: NOW }) })
    .use(pinia)
    .use(i18n)
    .mount(host);
  await nextTick();
  return host.querySelector<HTMLElement>('[data-testid="admin-invitation"]')!;
}

const text = (row: HTMLElement, testid: string) => row.querySelector(`[data-testid="${testid}"]`)?.textContent?.trim() ?? null;

describe('an invitation link in the list', () => {
  it('a link that can sign people up reads Active, with its uses and a Revoke button', async () => {
    const row = await render(LINK);
    expect(text(row, 'admin-invitation-state')).toBe('Active');
    expect(text(row, 'admin-invitation-uses')).toBe('0 of 3 used');
    expect(text(row, 'admin-invitation-paused')).toBeNull();
    expect(text(row, 'admin-invitation-revoke')).toBe('Revoke');
  });

  it('a paused link reads Paused, not Active, says why, and can still be revoked', async () => {
    const row = await render({ ...LINK, isPaused: true });
    expect(row.dataset.state).toBe('paused');
    expect(text(row, 'admin-invitation-state')).toBe('Paused');
    expect(text(row, 'admin-invitation-paused')).toBe('Its maker can’t invite people now, so it signs nobody up.');
    expect(row.textContent).not.toContain('Active');
    row.querySelector<HTMLButtonElement>('[data-testid="admin-invitation-revoke"]')!.click();
    expect(adminRequest).toHaveBeenCalledWith('invitation:revoke', { id: LINK.id });
  });

  it('a paused link that has expired, been used up or been revoked reads as that, not Paused', async () => {
    const cases: [Partial<InvitationDto>, string][] = [
      [{ expiresAt: '2026-03-01T11:00:00.000Z' }, 'Expired'],
      [{ uses: 3 }, 'Used up'],
      [{ revokedAt: '2026-03-01T11:30:00.000Z' }, 'Revoked'],
    ];
    for (const [change, shown] of cases) {
      const row = await render({ ...LINK, ...change, isPaused: true });
      expect([change, text(row, 'admin-invitation-state'), text(row, 'admin-invitation-paused')]).toEqual([change, shown, null]);
    }
  });

  it('reads 已暂停 with its reason in Chinese', async () => {
    await loadLocale('zh-CN');
    const row = await render({ ...LINK, isPaused: true });
    expect(text(row, 'admin-invitation-state')).toBe('已暂停');
    expect(text(row, 'admin-invitation-paused')).toBe('创建者目前无权邀请，此链接暂时无法注册。');
  });
});
