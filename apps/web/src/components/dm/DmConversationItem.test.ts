import { afterEach, describe, expect, it } from 'vitest';
import { createPinia } from 'pinia';
import { createApp, nextTick } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { ConversationDto } from '@confab/shared';
import { i18n, loadLocale } from '../../i18n';
import { ALICE, ALICE_BOB_ROOM, BOB, conversation, message } from '../../testing/factories';
import DmConversationItem from './DmConversationItem.vue';

afterEach(async () => {
  await loadLocale('en');
});

function render(entry: ConversationDto): { preview: HTMLElement; unmount: () => void } {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/dm/:username', name: 'dm', component: {} }] });
  const host = document.createElement('div');
  const app = createApp(DmConversationItem, { conversation: entry, myId: ALICE.id, isBeingRead: false }).use(createPinia()).use(router).use(i18n);
  app.mount(host);
  return { preview: host.querySelector<HTMLElement>('[data-testid="dm-conversation-preview"]')!, unmount: () => app.unmount() };
}

describe('a conversation in the sidebar', () => {
  it('says who recalled the newest message in a sentence of the language on screen, their name isolated in it', async () => {
    const recalled = conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM, author: { ...BOB, name: 'Bob\u202E' }, body: '', recalledAt: new Date().toISOString() }) });
    const { preview, unmount } = render(recalled);
    expect(preview.textContent).toBe('Bob\u202E recalled a message');
    expect(preview.querySelector('bdi')!.textContent).toBe('Bob\u202E');
    expect(preview.title).toBe('\u2068Bob\u2069 recalled a message');
    await loadLocale('zh-CN');
    await nextTick();
    expect(preview.textContent).toBe('Bob\u202E 撤回了一条消息');
    expect(preview.querySelector('bdi')!.textContent).toBe('Bob\u202E');
    unmount();
  });

  it('shows our own newest message after "You:", in the language on screen', async () => {
    const { preview, unmount } = render(conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM, author: ALICE, body: 'on my way' }) }));
    expect(preview.textContent).toBe('You: on my way');
    expect(preview.querySelector('bdi')).toBeNull();
    await loadLocale('zh-CN');
    await nextTick();
    expect(preview.textContent).toBe('你：on my way');
    unmount();
  });
});
