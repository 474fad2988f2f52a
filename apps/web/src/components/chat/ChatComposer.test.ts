import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia } from 'pinia';
import { createApp, defineComponent, h, nextTick, reactive } from 'vue';
import type { MessageDto, MessagePage } from '@confab/shared';
import { useChatActions } from '../../composables/useChatActions';
import { createRoomMessages, type RoomMessages, type RoomTransport } from '../../lib/roomMessages';
import type { Result } from '../../services/request';
import { useSessionStore } from '../../stores/session';
import { ALICE_USER, BOB, message } from '../../testing/factories';
import { buildTimeline, type TimelineMessage } from '../../lib/timeline';
import ChatComposer from './ChatComposer.vue';

const page = (messages: MessageDto[]): Result<MessagePage> => ({ ok: true, data: { messages, hasMore: false } });
const original = message(1, { author: BOB, body: 'Lunch at **noon**?' });
const edit = (seq: number, body: string) => message(seq, { author: BOB, body: '', change: { type: 'edit', messageId: original.id, seq: 1, state: { body, editedAt: original.createdAt } } });
const recall = (seq: number) => message(seq, { author: BOB, body: '', recall: { messageId: original.id, seq: 1 } });

/** A composer on a room whose transport is a stand-in (no server in a unit test), with the reply actions it shares with the list. */
async function mount(send: RoomTransport['send']) {
  const host = document.createElement('div');
  document.body.append(host);
  const room = reactive(
    createRoomMessages(
      { send, history: vi.fn(async () => page([original])), sync: vi.fn(async () => page([])), recall: vi.fn(), edit: vi.fn(), react: vi.fn() },
      () => ALICE_USER.id,
      { roomId: 'lobby' },
    ),
  ) as RoomMessages;
  let actions!: ReturnType<typeof useChatActions>;
  const app = createApp(
    defineComponent(() => {
      actions = useChatActions(() => room);
      return () => h(ChatComposer, { room, label: 'Message #lobby', isConnected: true, actions });
    }),
  );
  app.use(createPinia());
  useSessionStore().user = ALICE_USER;
  app.mount(host);
  await room.catchUp();
  room.resume();
  const row = buildTimeline(room.messages, [], { id: ALICE_USER.id, name: ALICE_USER.displayName }, new Date()).find((e): e is TimelineMessage => e.kind === 'message')!;
  const bar = () => host.querySelector('[data-testid="reply-bar"]');
  const type = async (text: string) => {
    const input = host.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await nextTick();
    host.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await nextTick();
  };
  return { room, actions, row, bar, type, unmount: () => (app.unmount(), host.remove()) };
}

describe('the reply bar', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.restoreAllMocks());

  it('quotes the original as it is now: it follows an edit, and a recall turns it into a notice; the message then goes without the quote', async () => {
    const send = vi.fn<RoomTransport['send']>(async (payload) => ({ ok: true, data: message(9, { author: { id: ALICE_USER.id, name: ALICE_USER.displayName }, clientId: payload.clientId, body: payload.body }) }));
    const { room, actions, row, bar, type, unmount } = await mount(send);
    actions.startReply(row);
    await nextTick();
    expect(bar()!.textContent).toContain('Replying to Bob Baker');
    expect(bar()!.querySelector('[data-testid="reply-bar-excerpt"]')!.textContent).toBe('Lunch at noon?');

    room.receiveLive(edit(2, 'Lunch at *one*?'));
    await nextTick();
    expect(bar()!.querySelector('[data-testid="reply-bar-excerpt"]')!.textContent).toBe('Lunch at one?');

    room.receiveLive(recall(3));
    await nextTick();
    expect(bar()!.getAttribute('data-recalled')).toBe('true');
    expect(bar()!.textContent).toContain('recalled the message you are replying to');
    expect(bar()!.textContent).not.toContain('Lunch');

    await type('Sounds good');
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0]![0]).toEqual({ clientId: expect.any(String), body: 'Sounds good' });
    expect(bar()).toBeNull();
    unmount();
  });

  it('a reply sent while its original stands goes out as a reply', async () => {
    const send = vi.fn<RoomTransport['send']>(async () => ({ ok: false, error: { code: 'disconnected', message: 'offline' } }));
    const { actions, row, type, unmount } = await mount(send);
    actions.startReply(row);
    await nextTick();
    await type('Yes');
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0]![0]).toEqual({ clientId: expect.any(String), body: 'Yes', replyTo: original.id });
    unmount();
  });
});
