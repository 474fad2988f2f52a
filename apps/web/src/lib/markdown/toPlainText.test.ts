import { beforeAll, describe, expect, it } from 'vitest';
import { emojiLoaded, toPlainText, withPlainLastMessage } from './index';
import { conversation, message } from '../../testing/factories';

beforeAll(() => emojiLoaded);

describe('the plain-text form of a message (previews, notifications, reply quotes)', () => {
  it.each<[string, string, string]>([
    ['plain text is unchanged', 'see you soon', 'see you soon'],
    ['markup characters go, their text stays', '**bold** *it* ~~gone~~ `x < y`', 'bold it gone x < y'],
    ['links read as their text', 'read [the docs](https://example.com) or https://example.org/x', 'read the docs or https://example.org/x'],
    ['code blocks read as their code', 'try:\n```sh\nls  -la\n```', 'try: ls -la'],
    ['shortcodes read as emoji', 'shipped :tada:', 'shipped 🎉'],
    ['block quotes and lists read as their lines', '> quoted\n\n- one\n- two', 'quoted one two'],
    ['an ordered list keeps its numbers', '2024. What a year', '2024. What a year'],
    ['whitespace folds to single spaces', '  one\n\n\ntwo   three\n', 'one two three'],
    ['text that only looks like markup stays', '# not a heading <b>nor bold</b> &amp; [x](javascript:alert(1))', '# not a heading <b>nor bold</b> &amp; [x](javascript:alert(1))'],
    ['mentions read as typed', 'hi @Bob', 'hi @Bob'],
    ['right-to-left text is kept as it is', 'שלום **עולם**', 'שלום עולם'],
  ])('%s', (_name, body, plain) => {
    expect(toPlainText(body)).toBe(plain);
  });

  it('a sidebar preview gets the plain-text last message, and an empty (recalled) one as it was', () => {
    const formatted = conversation({ lastMessage: message(1, { body: '**hi** :wave:' }) });
    expect(withPlainLastMessage(formatted).lastMessage!.body).toBe('hi 👋');
    expect(formatted.lastMessage!.body).toBe('**hi** :wave:');
    const recalled = conversation({ lastMessage: message(2, { body: '', recalledAt: new Date(0).toISOString() }) });
    expect(withPlainLastMessage(recalled)).toBe(recalled);
    const empty = conversation({ lastMessage: null });
    expect(withPlainLastMessage(empty)).toBe(empty);
  });
});
