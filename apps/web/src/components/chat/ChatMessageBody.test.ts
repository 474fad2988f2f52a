import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, h, nextTick, reactive } from 'vue';
import type { MentionDto } from '@confab/shared';
import { emojiLoaded } from '../../lib/markdown';
import ChatMessageBody from './ChatMessageBody.vue';

const BOB: MentionDto = { id: 'b'.repeat(24), username: 'bob' };
const ME: MentionDto = { id: 'a'.repeat(24), username: 'alice' };

function mount(initial: { body: string; mentions?: MentionDto[]; myId?: string | null }) {
  const host = document.createElement('div');
  document.body.append(host);
  const props = reactive({ ...initial });
  // Props from a reactive object, so that a test can change them as a parent would.
  const app = createApp({ render: () => h(ChatMessageBody, props) });
  app.mount(host);
  const root = () => host.querySelector<HTMLElement>('[data-testid="message-body"]')!;
  return { host, props, root, unmount: () => (app.unmount(), host.remove()) };
}

beforeAll(() => emojiLoaded);

describe('a message body', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('shows the formatting, links that open in a new tab, emoji, and mentions (the viewer\'s own marked)', () => {
    const { root, unmount } = mount({ body: '**bold** `code` :tada: @bob @alice https://example.com [x](javascript:alert(1))', mentions: [BOB, ME], myId: ME.id });
    expect(root().querySelector('strong')!.textContent).toBe('bold');
    expect(root().querySelector('code')!.textContent).toBe('code');
    expect(root().textContent).toContain('🎉');
    const links = root().querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('https://example.com');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(root().textContent).toContain('[x](javascript:alert(1))');
    const mentions = [...root().querySelectorAll('.mention')].map((el) => [el.textContent, el.getAttribute('data-user-id'), el.classList.contains('mention-me')]);
    expect(mentions).toEqual([
      ['@bob', BOB.id, false],
      ['@alice', ME.id, true],
    ]);
    expect(root().querySelector('p')!.getAttribute('dir')).toBe('auto');
    unmount();
  });

  it('renders again when the text changes (an edit)', async () => {
    const { props, root, unmount } = mount({ body: 'before' });
    expect(root().textContent).toBe('before');
    props.body = 'after **edit**';
    await nextTick();
    expect(root().innerHTML).toBe('<p dir="auto">after <strong>edit</strong></p>');
    unmount();
  });

  it('Copy on a code block puts exactly the code on the clipboard and says so', async () => {
    vi.stubGlobal('isSecureContext', true);
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const { root, unmount } = mount({ body: 'run this:\n```sh\nnpm  test\n  --watch <x>\n```\nthen `this`' });
    const button = root().querySelector<HTMLButtonElement>('button[data-copy-code]')!;
    expect(button.textContent).toBe('Copy');
    button.click();
    await vi.waitFor(() => expect(button.textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('npm  test\n  --watch <x>');
    unmount();
  });

  it('a click elsewhere in the message copies nothing', async () => {
    vi.stubGlobal('isSecureContext', true);
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const { root, unmount } = mount({ body: '```\ncode\n```\nand text' });
    root().querySelector('pre')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    root().querySelector('p')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await nextTick();
    expect(writeText).not.toHaveBeenCalled();
    unmount();
  });
});
