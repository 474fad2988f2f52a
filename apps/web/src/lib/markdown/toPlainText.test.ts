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
    ['a numbered list counts on from its first number, as rendered', '1. one\n\n\n5. five', '1. one 2. five'],
    ['a list that starts elsewhere starts there', '3) three\n7) seven\n1) one', '3) three 4) seven 5) one'],
    ['a list starting at 0 counts from 0', '0. zero\n0. zero again', '0. zero 1. zero again'],
    ['a nested list counts on its own; the outer one carries on after it', '1. a\n   - x\n   - y\n1. b\n\n   9. c\n   9. d\n1. e', '1. a x y 2. b 9. c 10. d 3. e'],
    ['two lists (another delimiter starts a new one) each count from their own start', '1. one\n1. two\n4) four\n4) five', '1. one 2. two 4) four 5) five'],
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
