import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createApp, defineComponent, h, nextTick, reactive } from 'vue';
import type { MemberRole, MessageDto, MessagePage, UserRole } from '@confab/shared';
import { useModerationActions } from '../../composables/useModerationActions';
import { i18n, loadLocale } from '../../i18n';
import { createRoomMessages, type RoomMessages } from '../../lib/roomMessages';
import { buildTimeline, type TimelineMessage } from '../../lib/timeline';
import type { Result } from '../../services/request';
import { useRoomsStore } from '../../stores/rooms';
import { useSessionStore } from '../../stores/session';
import { ALICE, ALICE_USER, BOB, DESIGN_ROOM, message, roomSummary } from '../../testing/factories';
import ChatMessage from './ChatMessage.vue';

// UserName asks the directory about names it does not know; no server here.
vi.mock('../../services/dm', () => ({ searchUsers: vi.fn(async () => ({ ok: false, error: { code: 'disconnected', message: '' } })) }));

const ME = { id: ALICE.id, name: ALICE.name };
const page = (messages: MessageDto[]): Result<MessagePage> => ({ ok: true, data: { messages, hasMore: false } });
const hosts: HTMLElement[] = [];
let pinia: Pinia;

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(async () => {
  hosts.splice(0).forEach((host) => host.remove());
  await loadLocale('en');
});

/** A row of #design as Alice sees it, with the list's moderation actions, her role as given. */
async function render(stored: MessageDto, who: { role?: UserRole; myRole?: MemberRole } = {}): Promise<HTMLElement> {
  useSessionStore().user = { ...ALICE_USER, ...(who.role ? { role: who.role } : {}) };
  useRoomsStore().upsert(roomSummary({ room: { id: DESIGN_ROOM, myRole: who.myRole ?? 'member' } }));
  const room = reactive(
    createRoomMessages({ send: vi.fn(), history: vi.fn(), sync: vi.fn(async () => page([])), recall: vi.fn(), edit: vi.fn(), react: vi.fn(), remove: vi.fn(), report: vi.fn() }, () => ALICE.id, { roomId: DESIGN_ROOM }),
  ) as RoomMessages;
  const entry = buildTimeline([stored], [], ME, new Date(Date.UTC(2026, 2, 1, 13))).find((e): e is TimelineMessage => e.kind === 'message')!;
  const host = document.createElement('div');
  document.body.append(host);
  hosts.push(host);
  createApp(
    defineComponent(() => {
      const moderation = useModerationActions(() => room);
      return () => h(ChatMessage, { entry, myId: ME.id, moderation });
    }),
  )
    .use(pinia)
    .use(i18n)
    .mount(host);
  await nextTick();
  return host.querySelector<HTMLElement>('[data-testid="message"]')!;
}

const has = (row: HTMLElement, testid: string) => row.querySelector(`[data-testid="${testid}"]`) !== null;
const theirs = message(1, { roomId: DESIGN_ROOM, author: BOB, body: 'hello' });
const mine = message(2, { roomId: DESIGN_ROOM, author: ALICE, body: 'mine' });

describe('a message\'s report and remove actions', () => {
  it('a member is offered "Report message" on someone else\'s message, not on their own, and never "Remove message"', async () => {
    const row = await render(theirs);
    expect(row.querySelector('[data-testid="message-report"]')!.getAttribute('aria-label')).toBe('Report message');
    expect(has(row, 'message-remove')).toBe(false);
    const own = await render(mine);
    expect(has(own, 'message-report')).toBe(false);
    expect(has(own, 'message-remove')).toBe(false);
  });

  it('an admin is offered "Remove message" anywhere, and the channel\'s owner in their channel', async () => {
    expect(has(await render(theirs, { role: 'admin' }), 'message-remove')).toBe(true);
    expect(has(await render(mine, { role: 'admin' }), 'message-remove')).toBe(true);
    expect(has(await render(theirs, { myRole: 'owner' }), 'message-remove')).toBe(true);
  });

  it('a removed message shows the moderator\'s tombstone, not the recall one, and offers nothing', async () => {
    const removed = message(1, { roomId: DESIGN_ROOM, author: BOB, body: '', recalledAt: new Date(Date.UTC(2026, 2, 1, 12, 5)).toISOString(), removedByModerator: true });
    const row = await render(removed, { role: 'admin' });
    expect(row.querySelector('[data-testid="message-removed"]')!.textContent).toBe('Message removed by a moderator');
    expect(has(row, 'message-recalled')).toBe(false);
    expect(row.dataset.removed).toBe('true');
    expect(has(row, 'message-report') || has(row, 'message-remove')).toBe(false);
  });

  it('an author whose account is deactivated is marked beside their name, in Chinese too', async () => {
    const row = await render(message(1, { roomId: DESIGN_ROOM, author: { ...BOB, deactivated: true }, body: 'old news' }));
    expect(row.querySelector('[data-testid="message-author-deactivated"]')!.textContent).toBe('deactivated');
    expect(has(await render(theirs), 'message-author-deactivated')).toBe(false);
    await loadLocale('zh-CN');
    const zh = await render(message(1, { roomId: DESIGN_ROOM, author: { ...BOB, deactivated: true }, body: 'old news' }));
    expect(zh.querySelector('[data-testid="message-author-deactivated"]')!.textContent).toBe('已停用');
    const removed = await render(message(3, { roomId: DESIGN_ROOM, author: BOB, body: '', recalledAt: new Date(Date.UTC(2026, 2, 1, 12, 5)).toISOString(), removedByModerator: true }));
    expect(removed.querySelector('[data-testid="message-removed"]')!.textContent).toBe('此消息已被管理员删除');
  });
});
