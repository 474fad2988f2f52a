import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, nextTick } from 'vue';
import { i18n, loadLocale } from '../../i18n';
import ChatMessageEditor from './ChatMessageEditor.vue';

function mountEditor(body: string) {
  const host = document.createElement('div');
  document.body.append(host);
  const onSave = vi.fn();
  const onCancel = vi.fn();
  const app = createApp(ChatMessageEditor, { body, error: null, isSaving: false, onSave, onCancel });
  app.use(i18n);
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
  const note = () => host.querySelector(`#${input.getAttribute('aria-describedby')}`)!.textContent!.replace(/\s+/g, ' ').trim();
  return { host, input, onSave, onCancel, type, pressEnter, note, unmount: () => app.unmount() };
}

describe('the message editor', () => {
  afterEach(() => loadLocale('en'));

  it('names its keys in a sentence whose words are buttons, in English and in Chinese', async () => {
    const editor = mountEditor('hello');
    expect(editor.note()).toBe('Escape to cancel · Enter to save');
    await loadLocale('zh-CN');
    await nextTick();
    expect(editor.note()).toBe('按 Esc 取消 · 按 Enter 保存');
    expect(editor.host.querySelector('label')!.textContent).toBe('编辑消息');
    editor.host.querySelector<HTMLButtonElement>('[data-testid="message-edit-save"]')!.click();
    expect(editor.onSave).toHaveBeenCalledWith('hello');
    editor.host.querySelector<HTMLButtonElement>('[data-testid="message-edit-cancel"]')!.click();
    expect(editor.onCancel).toHaveBeenCalledTimes(1);
    editor.unmount();
  });

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
