import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, nextTick } from 'vue';
import ChatMessageFailed from './ChatMessageFailed.vue';

function mount(onRetry = vi.fn(), onDiscard = vi.fn()) {
  const host = document.createElement('div');
  document.body.append(host);
  const app = createApp(ChatMessageFailed, { body: 'the text I wrote', errorMessage: 'You may not write here.', onRetry, onDiscard });
  app.mount(host);
  const button = (id: string) => host.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!;
  return { host, button, unmount: () => (app.unmount(), host.remove()) };
}

describe('a message that was not sent', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says why, and offers Retry, Copy text and Delete', () => {
    const onRetry = vi.fn();
    const onDiscard = vi.fn();
    const { host, button, unmount } = mount(onRetry, onDiscard);
    expect(host.querySelector('[data-testid="message-error"]')!.textContent).toBe('Not sent: You may not write here.');
    button('message-retry').click();
    button('message-discard').click();
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(onDiscard).toHaveBeenCalledTimes(1);
    unmount();
  });

  it('Copy text puts the unsent text on the clipboard and says so', async () => {
    vi.stubGlobal('isSecureContext', true);
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const { button, unmount } = mount();
    button('message-copy').click();
    await vi.waitFor(() => expect(button('message-copy').textContent!.trim()).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('the text I wrote');
    unmount();
    vi.unstubAllGlobals();
  });

  it('over plain http (no Clipboard API) copies by selection, and says when even that is refused', async () => {
    vi.stubGlobal('isSecureContext', false);
    const execCommand = vi.fn(() => false);
    const original = document.execCommand;
    document.execCommand = execCommand;
    const { host, button, unmount } = mount();
    button('message-copy').click();
    await nextTick();
    await vi.waitFor(() => expect(host.querySelector('[data-testid="message-copy-error"]')).not.toBeNull());
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(document.querySelector('textarea')).toBeNull();
    unmount();
    document.execCommand = original;
    vi.unstubAllGlobals();
  });
});
