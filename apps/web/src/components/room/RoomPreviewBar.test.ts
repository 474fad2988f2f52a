import { afterEach, describe, expect, it } from 'vitest';
import { createPinia } from 'pinia';
import { createApp, nextTick } from 'vue';
import type { ChannelListingDto } from '@confab/shared';
import { i18n, loadLocale } from '../../i18n';
import RoomPreviewBar from './RoomPreviewBar.vue';

afterEach(async () => {
  await loadLocale('en');
});

function render(listing: ChannelListingDto): HTMLElement {
  const host = document.createElement('div');
  createApp(RoomPreviewBar, { listing }).use(createPinia()).use(i18n).mount(host);
  return host.querySelector<HTMLElement>('[data-testid="room-preview"]')!;
}

const listing = (memberCount: number): ChannelListingDto => ({ id: 'c:design', name: 'design', topic: '', memberCount, joined: false });

describe('the preview bar of a channel one is not in', () => {
  it('names the channel, with a marked-up name, and counts its members in the language on screen', async () => {
    const bar = render(listing(1));
    expect(bar.querySelector('.text')!.textContent).toBe('You are viewing #design · 1 member');
    expect(bar.querySelector('strong bdi')!.textContent).toBe('design');
    await loadLocale('zh-CN');
    await nextTick();
    expect(bar.querySelector('.text')!.textContent).toBe('你正在查看 #design · 1 位成员');
    expect(bar.querySelector('button')!.textContent).toBe('加入频道');
  });
});
