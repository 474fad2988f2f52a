import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, ref } from 'vue';
import { loadLocale } from '../../i18n';
import LayoutMentionScope from './LayoutMentionScope.vue';
import LayoutUnreadBadge from './LayoutUnreadBadge.vue';

function mount(render: () => ReturnType<typeof h>) {
  const host = document.createElement('div');
  document.body.append(host);
  const app = createApp({ render });
  app.mount(host);
  const badge = (id: string) => host.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
  return { host, badge, unmount: () => (app.unmount(), host.remove()) };
}

describe('unread badge', () => {
  it('shows unread mentions as an "@" badge of their own beside the count, from the scope around the item', async () => {
    const mentions = ref(2);
    const { host, badge, unmount } = mount(() => h(LayoutMentionScope, { count: mentions.value }, () => h(LayoutUnreadBadge, { count: 5, testid: 'channel-unread' })));
    expect(badge('mention-badge')).toBe('@2');
    expect(badge('channel-unread')).toBe('5');
    expect(host.textContent).toContain(', 2 mentions');
    mentions.value = 0;
    await nextTick();
    expect(badge('mention-badge')).toBeNull();
    expect(badge('channel-unread')).toBe('5');
    unmount();
  });

  it('outside a scope (a DM) there is only the count, and 99+ past 99', () => {
    const { badge, unmount } = mount(() => h(LayoutUnreadBadge, { count: 120, testid: 'dm-unread' }));
    expect(badge('mention-badge')).toBeNull();
    expect(badge('dm-unread')).toBe('99+');
    unmount();
  });

  describe('in Chinese', () => {
    afterEach(() => loadLocale('en'));

    it('reads the counts out after the item\'s name in Chinese', async () => {
      await loadLocale('zh-CN');
      const { host, unmount } = mount(() => h(LayoutMentionScope, { count: 1 }, () => h(LayoutUnreadBadge, { count: 5, testid: 'channel-unread' })));
      expect(host.textContent).toContain('，1 条提及');
      expect(host.textContent).toContain('，5 条未读');
      unmount();
    });
  });
});
