import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick, reactive } from 'vue';
import type { MessageDto } from '@confab/shared';
import { loadLocale } from '../i18n';
import type { RoomMessages } from '../lib/roomMessages';
import { ANNOUNCEMENT_TTL_MS, announcementOf, useMessageAnnouncer } from './useMessageAnnouncer';

const ME = 'a'.repeat(24);
const BOB = 'b'.repeat(24);

function message(seq: number, body: string, authorId = BOB, extra: Partial<MessageDto> = {}): MessageDto {
  const name = authorId === ME ? 'Me Myself' : 'Bob Baker';
  return { id: String(seq).padStart(24, '0'), roomId: 'lobby', seq, clientId: `c${seq}`, author: { id: authorId, name }, body, createdAt: '2026-01-01T00:00:00.000Z', ...extra };
}

function setup(initial: MessageDto[] = []) {
  const room = reactive({ loadStatus: 'loading', messages: initial }) as unknown as { loadStatus: string; messages: MessageDto[] };
  const { lines } = useMessageAnnouncer(() => room as unknown as RoomMessages, () => ME);
  return { room, said: () => lines.value.map((l) => l.text) };
}

describe('useMessageAnnouncer', () => {
  afterEach(() => vi.useRealTimers());

  it('reads out new messages from others, not the history the room loaded with, nor the reader\'s own', async () => {
    const { room, said } = setup();
    room.messages = [message(1, 'old'), message(2, 'older reply')];
    room.loadStatus = 'done';
    await nextTick();
    expect(said()).toEqual([]);

    room.messages = [...room.messages, message(3, 'hello')];
    await nextTick();
    room.messages = [...room.messages, message(4, 'mine', ME)];
    await nextTick();
    expect(said()).toEqual(['Bob Baker: hello']);
  });

  it('does not read out older pages, re-renders, recalls or changes', async () => {
    const { room, said } = setup([message(10, 'ten')]);
    room.loadStatus = 'done';
    await nextTick();
    room.messages = [message(8, 'eight'), message(9, 'nine'), ...room.messages];
    await nextTick();
    room.messages = room.messages.map((m) => ({ ...m, reactions: [{ emoji: '👍', users: [{ id: BOB, name: 'Bob Baker' }] }] }));
    await nextTick();
    room.messages = [...room.messages, message(11, '', BOB, { recall: { messageId: 'x'.repeat(24), seq: 10 } })];
    await nextTick();
    expect(said()).toEqual([]);
  });

  it('sums up a burst (a reconnect catching up) in one line', async () => {
    const { room, said } = setup([message(1, 'one')]);
    room.loadStatus = 'done';
    await nextTick();
    room.messages = [...room.messages, ...[2, 3, 4, 5].map((seq) => message(seq, `m${seq}`))];
    await nextTick();
    expect(said()).toEqual(['4 new messages, the last from Bob Baker']);
  });

  it('drops the line of a message that is edited or recalled, so its old text leaves the page', async () => {
    const { room, said } = setup([message(1, 'one')]);
    room.loadStatus = 'done';
    await nextTick();
    room.messages = [...room.messages, message(2, 'Lunch at noon?'), message(3, 'see you')];
    await nextTick();
    expect(said()).toEqual(['Bob Baker: Lunch at noon?', 'Bob Baker: see you']);
    // A reaction changes nothing the line quotes.
    room.messages = room.messages.map((m) => (m.seq === 2 ? { ...m, reactions: [] } : m));
    await nextTick();
    expect(said()).toHaveLength(2);
    room.messages = room.messages.map((m) => (m.seq === 2 ? { ...m, body: 'Lunch at one?', editedAt: '2026-01-01T00:01:00.000Z' } : m));
    await nextTick();
    expect(said()).toEqual(['Bob Baker: see you']);
    room.messages = room.messages.map((m) => (m.seq === 3 ? { ...m, body: '', recalledAt: '2026-01-01T00:02:00.000Z' } : m));
    await nextTick();
    expect(said()).toEqual([]);
  });

  it('lets a line go once it has been read', async () => {
    vi.useFakeTimers();
    const { room, said } = setup([message(1, 'one')]);
    room.loadStatus = 'done';
    await nextTick();
    room.messages = [...room.messages, message(2, 'hello')];
    await nextTick();
    expect(said()).toEqual(['Bob Baker: hello']);
    vi.advanceTimersByTime(ANNOUNCEMENT_TTL_MS);
    expect(said()).toEqual([]);
  });

  it('says a message of files only sent files, and cuts a long one', () => {
    const file = { id: 'f'.repeat(24), name: 'a.txt', contentType: 'text/plain', size: 1, kind: 'file' } as never;
    expect(announcementOf(message(1, '', BOB, { attachments: [file, file] }))).toBe('Bob Baker: sent 2 files');
    expect(announcementOf(message(1, 'x'.repeat(500)))).toBe(`Bob Baker: ${'x'.repeat(160)}…`);
  });
});

describe('useMessageAnnouncer in Chinese', () => {
  afterEach(() => loadLocale('en'));

  it('reads out a message, a message of files and a catch-up\'s summary in the language on screen', async () => {
    await loadLocale('zh-CN');
    const file = { id: 'f'.repeat(24), name: 'a.txt', contentType: 'text/plain', size: 1, kind: 'file' } as never;
    expect(announcementOf(message(1, 'hello'))).toBe('Bob Baker：hello');
    expect(announcementOf(message(1, '', BOB, { attachments: [file] }))).toBe('Bob Baker：发送了 1 个文件');
    const { room, said } = setup([message(1, 'one')]);
    room.loadStatus = 'done';
    await nextTick();
    room.messages = [...room.messages, ...[2, 3, 4, 5].map((seq) => message(seq, `m${seq}`))];
    await nextTick();
    expect(said()).toEqual(['4 条新消息，最后一条来自 Bob Baker']);
  });
});
