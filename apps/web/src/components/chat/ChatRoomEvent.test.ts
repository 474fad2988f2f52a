import { describe, expect, it, vi } from 'vitest';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import type { RoomEventDto } from '@confab/shared';
import { ALICE, BOB } from '../../testing/factories';
import ChatRoomEvent from './ChatRoomEvent.vue';

vi.mock('../../services/dm', () => ({ searchUsers: vi.fn(async () => ({ ok: false, error: { code: 'disconnected', message: '' } })) }));

function render(event: RoomEventDto): HTMLElement {
  const host = document.createElement('div');
  const entry = { kind: 'event' as const, key: 'e:1', seq: 4, author: ALICE, event, createdAt: new Date(Date.UTC(2026, 2, 1)).toISOString() };
  createApp(ChatRoomEvent, { entry }).use(createPinia()).mount(host);
  return host.querySelector<HTMLElement>('[data-testid="room-event"]')!;
}

describe('a room event line', () => {
  it('says what changed in words, with the names of who did it and to whom', () => {
    expect(render({ type: 'joined' }).textContent).toBe('Alice Archer joined');
    expect(render({ type: 'added', user: BOB }).textContent).toBe('Alice Archer added Bob Baker');
    expect(render({ type: 'renamed', name: 'design-team' }).textContent).toBe('Alice Archer renamed the channel to #design-team');
    expect(render({ type: 'topic', topic: 'Pixels' }).textContent).toBe('Alice Archer set the topic: Pixels');
    expect(render({ type: 'topic', topic: '' }).textContent).toBe('Alice Archer cleared the topic');
  });

  it('shows a topic as text, never as HTML', () => {
    const line = render({ type: 'topic', topic: '<img src=x onerror=alert(1)><b>bold</b>' });
    expect(line.querySelector('img, b')).toBeNull();
    expect(line.textContent).toBe('Alice Archer set the topic: <img src=x onerror=alert(1)><b>bold</b>');
  });
});
