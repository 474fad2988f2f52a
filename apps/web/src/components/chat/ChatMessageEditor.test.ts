import { describe, expect, it, vi } from 'vitest';
import { createApp, nextTick } from 'vue';
import ChatMessageEditor from './ChatMessageEditor.vue';

function mountEditor(body: string) {
  const host = document.createElement('div');
  document.body.append(host);
  const onSave = vi.fn();
  const app = createApp(ChatMessageEditor, { body, error: null, isSaving: false, onSave });
  app.mount(host);
  const input = host.querySelector<HTMLTextAreaElement>('[data-testid="message-edit-input"]')!;
  const type = async (text: string) => {
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await nextTick();
  };
  const pressEnter = async () => {
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await nextTick();
  };
  return { host, input, onSave, type, pressEnter, unmount: () => app.unmount() };
}

describe('the message editor', () => {
  it('Enter on an emptied message saves nothing, keeps the editor open and says why; typing again takes the hint away', async () => {
    const editor = mountEditor('hello');
    await editor.type('   ');
    await editor.pressEnter();
    expect(editor.onSave).not.toHaveBeenCalled();
    const hint = editor.host.querySelector('[data-testid="message-edit-hint"]');
    expect(hint?.textContent).toBe('Message must not be empty; recall it instead.');
    expect(hint?.getAttribute('role')).toBe('alert');
    expect(editor.input.getAttribute('aria-invalid')).toBe('true');
    expect(editor.host.querySelector('[data-testid="message-editor"]')).not.toBeNull();

    await editor.type('hello again');
    expect(editor.host.querySelector('[data-testid="message-edit-hint"]')).toBeNull();
    await editor.pressEnter();
    expect(editor.onSave).toHaveBeenCalledWith('hello again');
    editor.unmount();
  });
});
