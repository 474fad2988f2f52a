import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import type { MessageDto } from '@confab/shared';
import { i18n, loadLocale } from '../../i18n';
import { buildTimeline, type TimelineMessage } from '../../lib/timeline';
import { fileAttachment, imageAttachment } from '../../testing/attachments';
import { ALICE, BOB, message, outboxItem } from '../../testing/factories';
import ChatMessage from './ChatMessage.vue';

// UserName asks the directory about names it does not know; no server here.
vi.mock('../../services/dm', () => ({ searchUsers: vi.fn(async () => ({ ok: false, error: { code: 'disconnected', message: '' } })) }));

const ME = { id: BOB.id, name: BOB.name };
const files = [imageAttachment(), fileAttachment()];
const hosts: HTMLElement[] = [];
afterEach(async () => {
  hosts.splice(0).forEach((host) => host.remove());
  await loadLocale('en');
});

/** The row as the message list renders it, from a stored message (or an unsent one of ours). */
function render(stored: MessageDto[], outbox = [] as ReturnType<typeof outboxItem>[]): HTMLElement {
  const entry = buildTimeline(stored, outbox, ME, new Date(Date.UTC(2026, 2, 1, 13))).find((e): e is TimelineMessage => e.kind === 'message')!;
  const host = document.createElement('div');
  document.body.append(host);
  hosts.push(host);
  createApp(ChatMessage, { entry, myId: ME.id }).use(createPinia()).use(i18n).mount(host);
  return host.querySelector<HTMLElement>('[data-testid="message"]')!;
}

const ids = (row: HTMLElement) => [...row.querySelectorAll<HTMLElement>('[data-file-id]')].map((el) => el.dataset.testid);

describe('a message with attachments', () => {
  it('shows its files under its text', () => {
    const row = render([message(1, { author: ALICE, body: 'Our trip', attachments: files })]);
    expect(row.querySelector('[data-testid="message-body"]')!.textContent).toBe('Our trip');
    expect(ids(row)).toEqual(['attachment-image', 'attachment-file']);
    // Text first, then the files.
    const body = row.querySelector('[data-testid="message-body"]')!;
    expect(body.compareDocumentPosition(row.querySelector('[data-testid="message-attachments"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('with no text shows only its files: no empty text block', () => {
    const row = render([message(1, { author: ALICE, body: '', attachments: [imageAttachment()] })]);
    expect(row.querySelector('[data-testid="message-body"]')).toBeNull();
    expect(ids(row)).toEqual(['attachment-image']);
  });

  it('once recalled shows the tombstone and none of its files', () => {
    const row = render([message(1, { author: ALICE, body: '', recalledAt: new Date(Date.UTC(2026, 2, 1, 12, 1)).toISOString(), attachments: files })]);
    expect(row.querySelector('[data-testid="message-recalled"]')!.textContent).toBe('Alice Archer recalled a message');
    expect(row.querySelector('[data-testid="message-attachments"]')).toBeNull();
    expect(row.querySelector('img, a[download]')).toBeNull();
  });

  it('a message of ours still on its way shows the files it carries', () => {
    const row = render([], [outboxItem('c1', { body: '', attachments: [fileAttachment()] })]);
    expect(row.dataset.status).toBe('pending');
    expect(ids(row)).toEqual(['attachment-file']);
  });

  it('a message without files shows no attachment list', () => {
    const row = render([message(1, { author: ALICE, body: 'Just text' })]);
    expect(row.querySelector('[data-testid="message-attachments"]')).toBeNull();
  });
});

describe('a message in Chinese', () => {
  it('reads the tombstone with the author\'s name in its place, and says why one of ours was not sent', async () => {
    await loadLocale('zh-CN');
    const recalled = render([message(1, { author: ALICE, body: '', recalledAt: new Date(Date.UTC(2026, 2, 1, 12, 1)).toISOString() })]);
    expect(recalled.querySelector('[data-testid="message-recalled"]')!.textContent).toBe('Alice Archer 撤回了一条消息');
    const refused = render([], [outboxItem('c1', { status: 'failed', error: { code: 'rate_limited', message: 'Too many requests' } })]);
    expect(refused.querySelector('[data-testid="message-error"]')!.textContent).toBe('未发送：请求过于频繁，请稍后再试。');
    expect(refused.querySelector('[data-testid="message-discard"]')!.textContent).toBe('删除');
  });
});
