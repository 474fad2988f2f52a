import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia } from 'pinia';
import { createApp, defineComponent, h, nextTick, reactive } from 'vue';
import type { MessageDto, MessagePage } from '@confab/shared';
import { useChatActions } from '../../composables/useChatActions';
import { i18n, loadLocale } from '../../i18n';
import { createRoomMessages, type RoomMessages, type RoomTransport } from '../../lib/roomMessages';
import type { Result } from '../../services/request';
import { useSessionStore } from '../../stores/session';
import { ALICE_USER, BOB, message } from '../../testing/factories';
import { buildTimeline, type TimelineMessage } from '../../lib/timeline';
import { useUploadsStore } from '../../stores/uploads';
import { pointPageAt, startUploadServer, type UploadServer } from '../../testing/uploadServer.mjs';
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
      { send, history: vi.fn(async () => page([original])), sync: vi.fn(async () => page([])), recall: vi.fn(), edit: vi.fn(), react: vi.fn(), remove: vi.fn(), report: vi.fn() },
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
  app.use(i18n);
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
  afterEach(async () => {
    vi.restoreAllMocks();
    await loadLocale('en');
  });

  it('says whom it answers in a whole sentence, in Chinese too', async () => {
    const send = vi.fn<RoomTransport['send']>();
    const { room, actions, row, bar, unmount } = await mount(send);
    actions.startReply(row);
    await loadLocale('zh-CN');
    await nextTick();
    const sentence = () => bar()!.querySelector('.text')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(sentence()).toBe('回复 Bob Baker：Lunch at noon?');
    expect(bar()!.querySelector('[data-testid="reply-cancel"]')!.getAttribute('aria-label')).toBe('取消回复');
    room.receiveLive(recall(3));
    await nextTick();
    expect(sentence()).toBe('Bob Baker 撤回了你正在回复的消息：你的消息将不带引用发送。');
    unmount();
  });

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

describe('attaching files', () => {
  // Uploads go to a real HTTP server (testing/uploadServer.mjs); sends to a stand-in socket.
  let server: UploadServer;
  beforeEach(async () => {
    localStorage.clear();
    server = await startUploadServer();
    pointPageAt(server.url);
  });
  afterEach(async () => {
    useUploadsStore().reset();
    await server.close();
    vi.restoreAllMocks();
  });

  const acked = () => vi.fn<RoomTransport['send']>(async (payload) => ({ ok: true, data: message(9, { author: { id: ALICE_USER.id, name: ALICE_USER.displayName }, clientId: payload.clientId, body: payload.body }) }));

  async function setup() {
    const send = acked();
    const composer = await mount(send);
    const $ = (testid: string) => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
    const input = () => $('composer-input') as HTMLTextAreaElement;
    /** Pastes like a browser does: a ClipboardEvent whose DataTransfer holds files and/or text. */
    const paste = (files: File[], text?: string) => {
      const data = new DataTransfer();
      for (const file of files) data.items.add(file);
      if (text !== undefined) data.setData('text/plain', text);
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      input().dispatchEvent(event);
      return event;
    };
    const chips = () => [...document.querySelectorAll('[data-testid="pending-attachment"]')].map((c) => `${c.getAttribute('data-name')}:${c.getAttribute('data-status')}`);
    return { ...composer, send, $, input, paste, chips };
  }

  it('has an Attach button with an accessible name, opening a file chooser for several files', async () => {
    const { $, unmount } = await setup();
    expect($('composer-attach')!.getAttribute('aria-label')).toBe('Attach files');
    const chooser = $('composer-file-input') as HTMLInputElement;
    expect([chooser.type, chooser.multiple, chooser.hidden]).toEqual(['file', true, true]);
    unmount();
  });

  it('a pasted image becomes a chip with its preview, and uploads; pasted text is pasted as ever', async () => {
    const { paste, chips, $, unmount } = await setup();
    const textPaste = paste([], 'just words');
    expect(textPaste.defaultPrevented).toBe(false);
    expect(chips()).toEqual([]);

    const imagePaste = paste([new File([new Uint8Array(32)], 'image.png', { type: 'image/png' })]);
    expect(imagePaste.defaultPrevented).toBe(true);
    await nextTick();
    expect($('pending-attachment-preview')!.getAttribute('src')).toMatch(/^blob:/);
    await vi.waitFor(() => expect(chips()).toEqual(['image.png:done']));
    expect(server.received.map((u) => u.parts[0]!.filename)).toEqual(['image.png']);
    unmount();
  });

  it('Enter while a file uploads waits: the composer says so and holds the text, then sends text and file together', async () => {
    server.answerWith(() => 'hold');
    const { paste, input, type, send, $, chips, unmount } = await setup();
    paste([new File(['%PDF-1.7'], 'plan.pdf', { type: 'application/pdf' })]);
    await vi.waitFor(() => expect(server.heldCount()).toBe(1));
    await nextTick();
    expect($('pending-attachment-progress')!.getAttribute('aria-label')).toBe('Uploading plan.pdf');

    await type('the plan');
    expect($('composer-waiting')!.textContent).toBe('Sending when uploads finish…');
    expect(input().readOnly).toBe(true);
    expect(input().value).toBe('the plan');
    expect(send).not.toHaveBeenCalled();

    server.release();
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0]![0]).toEqual({ clientId: expect.any(String), body: 'the plan', attachments: ['f'.repeat(24)] });
    await nextTick();
    expect(input().value).toBe('');
    expect(input().readOnly).toBe(false);
    expect(chips()).toEqual([]);
    expect($('composer-waiting')).toBeNull();
    unmount();
  });

  it('a file alone can be sent: Send is enabled with no text once a file is attached', async () => {
    const { paste, $, send, chips, unmount } = await setup();
    expect(($('composer-send') as HTMLButtonElement).disabled).toBe(true);
    paste([new File(['x'], 'notes.txt', { type: 'text/plain' })]);
    await vi.waitFor(() => expect(chips()).toEqual(['notes.txt:done']));
    expect(($('composer-send') as HTMLButtonElement).disabled).toBe(false);
    $('composer-send')!.click();
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0]![0]).toMatchObject({ body: '', attachments: ['1'.padStart(24, '0')] });
    unmount();
  });

  it("a failed upload shows the server's message with Retry and Remove, named for the file", async () => {
    server.answerWith((_upload, index) => (index === 0 ? { status: 413, body: JSON.stringify({ error: { code: 'file_too_large', message: 'Files may be at most 25 MB.' } }) } : 'hold'));
    const { paste, $, chips, unmount } = await setup();
    paste([new File(['x'], 'big.mov', { type: 'video/quicktime' })]);
    await vi.waitFor(() => expect(chips()).toEqual(['big.mov:failed']));
    expect($('pending-attachment-error')!.textContent).toBe('Files may be at most 25 MB.');
    expect($('pending-attachment-retry')!.getAttribute('aria-label')).toBe('Retry uploading big.mov');
    expect($('pending-attachment-remove')!.getAttribute('aria-label')).toBe('Remove big.mov');

    $('pending-attachment-retry')!.click();
    await vi.waitFor(() => expect(chips()).toEqual(['big.mov:uploading']));
    expect($('pending-attachment-remove')!.getAttribute('aria-label')).toBe('Cancel uploading big.mov');
    $('pending-attachment-remove')!.click();
    await nextTick();
    expect(chips()).toEqual([]);
    unmount();
  });
});

describe('Enter, Send and the hint', () => {
  // Unmounted even when a test fails, so that the next one finds only its own composer.
  let unmount: (() => void) | null = null;
  beforeEach(() => localStorage.clear());
  afterEach(async () => {
    unmount?.();
    unmount = null;
    vi.restoreAllMocks();
    await loadLocale('en');
  });

  /** A screen whose main pointer is a finger (`pointer: coarse`) or a mouse. */
  function pointer(isTouch: boolean): void {
    const real = window.matchMedia.bind(window);
    vi.spyOn(window, 'matchMedia').mockImplementation((query) => (query === '(pointer: coarse)' ? ({ ...real(query), matches: isTouch, addEventListener() {}, removeEventListener() {} } as MediaQueryList) : real(query)));
  }

  async function setup(isTouch: boolean) {
    pointer(isTouch);
    const send = vi.fn<RoomTransport['send']>(async (payload) => ({ ok: true, data: message(9, { author: { id: ALICE_USER.id, name: ALICE_USER.displayName }, clientId: payload.clientId, body: payload.body }) }));
    const composer = await mount(send);
    unmount = composer.unmount;
    const input = document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
    const note = () => document.querySelector('[data-testid="composer-note"]')!.textContent!.trim();
    const write = async (text: string) => {
      input.value = text;
      input.dispatchEvent(new Event('input'));
      await nextTick();
    };
    const enter = (modifiers: KeyboardEventInit = {}) => {
      const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...modifiers });
      input.dispatchEvent(event);
      return event;
    };
    return { send, input, note, write, enter };
  }

  it('on a touch screen Enter makes a new line, the Send button sends, and no keys are named', async () => {
    const { send, input, note, write, enter } = await setup(true);
    expect(note()).toBe('');
    expect(input.getAttribute('enterkeyhint')).toBe('enter');
    expect(document.activeElement).not.toBe(input);
    await write('first line');
    expect(enter().defaultPrevented).toBe(false);
    await nextTick();
    expect(send).not.toHaveBeenCalled();
    await write('first line\nsecond line');
    document.querySelector<HTMLButtonElement>('[data-testid="composer-send"]')!.click();
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0]![0]).toMatchObject({ body: 'first line\nsecond line' });
  });

  it('Ctrl or Cmd + Enter sends on a touch screen too (a tablet with a keyboard), and on a desktop', async () => {
    for (const isTouch of [true, false]) {
      const { send, write, enter } = await setup(isTouch);
      await write('from the keyboard');
      expect(enter({ ctrlKey: true }).defaultPrevented).toBe(true);
      await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
      await write('and again');
      expect(enter({ metaKey: true }).defaultPrevented).toBe(true);
      await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(2));
      // Shift stays a new line, with or without Ctrl.
      await write('a line');
      expect(enter({ ctrlKey: true, shiftKey: true }).defaultPrevented).toBe(false);
      expect(send).toHaveBeenCalledTimes(2);
      unmount?.();
      unmount = null;
      vi.restoreAllMocks();
    }
  });

  it('the hint, the Send button and the reply bar speak Chinese once it is chosen', async () => {
    const { note } = await setup(false);
    await loadLocale('zh-CN');
    await nextTick();
    expect(note()).toBe('按 Enter 发送 · Shift + Enter 换行 · ↑ 编辑你的上一条消息');
    expect(document.querySelector('[data-testid="composer-send"]')!.getAttribute('aria-label')).toBe('发送消息');
  });

  it('with a mouse and keyboard Enter sends, and the hint names the keys', async () => {
    const { send, input, note, write, enter } = await setup(false);
    expect(note()).toBe('Enter to send · Shift + Enter for a new line · ↑ edits your last message');
    expect(input.getAttribute('enterkeyhint')).toBe('send');
    await write('hello');
    expect(enter().defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0]![0]).toMatchObject({ body: 'hello' });
  });
});
