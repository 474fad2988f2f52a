import { beforeAll, describe, expect, it } from 'vitest';
import type { MentionDto } from '@confab/shared';
import { loadLocale } from '../../i18n';
import { emojiLoaded, renderMessage } from './index';

const LINK = 'target="_blank" rel="noopener noreferrer nofollow"';
const COPY = '<button type="button" class="code-copy" data-copy-code>Copy</button>';
const p = (html: string) => `<p dir="auto">${html}</p>`;
const LONG_URL = `https://example.com/${'a1b2c3d4'.repeat(497)}`;

const BOB: MentionDto = { id: 'b'.repeat(24), username: 'Bob' };
const ME: MentionDto = { id: 'a'.repeat(24), username: 'alice' };
const DOTTED: MentionDto = { id: 'd'.repeat(24), username: 'dot.ted' };

beforeAll(() => emojiLoaded);

describe('a message body renders as the markdown subset, everything else escaped', () => {
  it.each<[string, string, string]>([
    ['plain text', 'hello there', p('hello there')],
    ['bold, italic, strikethrough and inline code', '**bold** *it* _it_ ~~gone~~ `x < y`', p('<strong>bold</strong> <em>it</em> <em>it</em> <s>gone</s> <code>x &lt; y</code>')],
    ['nested emphasis', '***both*** **bold *and italic* inside** *a **b** c*', p('<em><strong>both</strong></em> <strong>bold <em>and italic</em> inside</strong> <em>a <strong>b</strong> c</em>')],
    ['unbalanced emphasis stays as typed', '**not closed and 2*3*4 = 24', p('**not closed and 2<em>3</em>4 = 24')],
    ['a line break is a line break', 'one\ntwo\n\nthree', `${p('one<br>\ntwo')}\n${p('three')}`],
    ['a block quote', '> quoted\nstill quoted\n\nmine', `<blockquote>\n${p('quoted<br>\nstill quoted')}\n</blockquote>\n${p('mine')}`],
    ['lists', '- one\n- two\n\n1. first\n2. second', '<ul>\n<li dir="auto">one</li>\n<li dir="auto">two</li>\n</ul>\n<ol>\n<li dir="auto">first</li>\n<li dir="auto">second</li>\n</ol>'],
    ['a fenced code block, with a copy button and nothing inside it parsed', '```js\nconst a = "<b>" && **b**;\n  indented :tada:\n```', `<div class="code-block">${COPY}<pre><code>const a = &quot;&lt;b&gt;&quot; &amp;&amp; **b**;\n  indented :tada:</code></pre></div>`],
    ['an unclosed code fence runs to the end', 'look:\n```\nlet x = 1;\n<script>', `${p('look:')}\n<div class="code-block">${COPY}<pre><code>let x = 1;\n&lt;script&gt;</code></pre></div>`],
    ['a link', '[the docs](https://example.com/a?b=1&c=2)', p(`<a href="https://example.com/a?b=1&amp;c=2" ${LINK}>the docs</a>`)],
    ['a bare URL becomes a link', 'see https://example.com/x.', p(`see <a href="https://example.com/x" ${LINK}>https://example.com/x</a>.`)],
    ['an autolink and an e-mail address', '<https://example.org> or bob@example.com', p(`<a href="https://example.org" ${LINK}>https://example.org</a> or <a href="mailto:bob@example.com" ${LINK}>bob@example.com</a>`)],
    ['a mailto link', '[write](mailto:a@example.com)', p(`<a href="mailto:a@example.com" ${LINK}>write</a>`)],
    ['a 4,000-character unbroken URL is one link, whole', LONG_URL, p(`<a href="${LONG_URL}" ${LINK}>${LONG_URL}</a>`)],
    ['a javascript: link stays as typed', '[x](javascript:alert(1))', p('[x](javascript:alert(1))')],
    ['a javascript: link in disguise stays as typed', '[x](JaVaScRiPt:alert(1)) [y](java&#x73;cript:alert(1)) [z]( javascript:alert(1))', p('[x](JaVaScRiPt:alert(1)) [y](java&amp;#x73;cript:alert(1)) [z]( javascript:alert(1))')],
    ['a javascript: autolink stays as typed', '<javascript:alert(1)> javascript:alert(1)', p('&lt;javascript:alert(1)&gt; javascript:alert(1)')],
    ['data: and vbscript: links stay as typed', '[d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox(1)) <data:text/html,x>', p('[d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox(1)) &lt;data:text/html,x&gt;')],
    ['relative and other-scheme links stay as typed', '[r](/settings) [p](//evil.example) ftp://example.com', p('[r](/settings) [p](//evil.example) ftp://example.com')],
    ['a script tag is text', '<script>alert(1)</script>', p('&lt;script&gt;alert(1)&lt;/script&gt;')],
    ['an image tag is text', '<img src=x onerror=alert(1)>', p('&lt;img src=x onerror=alert(1)&gt;')],
    ['an HTML block is text', '<div onclick="alert(1)">\nhi\n</div>', p('&lt;div onclick=&quot;alert(1)&quot;&gt;<br>\nhi<br>\n&lt;/div&gt;')],
    ['markdown images are not loaded', '![x](https://example.com/x.png)', p(`!<a href="https://example.com/x.png" ${LINK}>x</a>`)],
    ['a link title is an escaped attribute', '[t](https://example.com "a\\" onmouseover=\\"alert(1)")', p(`<a href="https://example.com" title="a&quot; onmouseover=&quot;alert(1)" ${LINK}>t</a>`)],
    ['HTML entities stay as typed', '&amp; &copy; &#60;b&#62; &lt;', p('&amp;amp; &amp;copy; &amp;#60;b&amp;#62; &amp;lt;')],
    ['headings, rules, tables and reference definitions stay as typed', '# Title\n---\n| a | b |\n|---|---|\n[ref]: https://example.com', p(`# Title<br>\n---<br>\n| a | b |<br>\n|---|---|<br>\n[ref]: <a href="https://example.com" ${LINK}>https://example.com</a>`)],
    ['indented text is not a code block', '    four spaces', p('four spaces')],
    ['a backslash escapes markup', '\\*not italic\\*', p('*not italic*')],
    ['right-to-left text takes its own direction', 'مرحبا **بالعالم**\n\nשלום עולם', `${p('مرحبا <strong>بالعالم</strong>')}\n${p('שלום עולם')}`],
    ['emoji shortcodes become emoji, unknown ones and :) stay', ':tada: :+1: :no_such_emoji: :)', p('🎉 👍 :no_such_emoji: :)')],
    ['shortcodes in code stay', '`:tada:`', p('<code>:tada:</code>')],
  ])('%s', (_name, body, html) => {
    expect(renderMessage(body)).toBe(html);
  });
});

describe('mentions', () => {
  const mentions = [BOB, ME, DOTTED];
  it.each<[string, string, string]>([
    ['a mentioned name, in any letter case, with the viewer\'s own marked', 'hi @bob and @ALICE', p(`hi <span class="mention" data-user-id="${BOB.id}">@bob</span> and <span class="mention mention-me" data-user-id="${ME.id}">@ALICE</span>`)],
    ['a full stop after the name is not part of it', 'thanks @Bob.', p(`thanks <span class="mention" data-user-id="${BOB.id}">@Bob</span>.`)],
    ['a name with a dot in it', '@dot.ted: hi', p(`<span class="mention" data-user-id="${DOTTED.id}">@dot.ted</span>: hi`)],
    ['names that are not among the mentions stay text', '@bobby @carol @bo', p('@bobby @carol @bo')],
    ['an e-mail address or an @ inside a word is not a mention', 'mail@bob here, x_@bob', p('mail@bob here, x_@bob')],
    ['inside emphasis', '**@bob**', p(`<strong><span class="mention" data-user-id="${BOB.id}">@bob</span></strong>`)],
    ['not in code or links', '`@bob` [@bob](https://example.com/@bob)', p(`<code>@bob</code> <a href="https://example.com/@bob" ${LINK}>@bob</a>`)],
  ])('%s', (_name, body, html) => {
    expect(renderMessage(body, { mentions, myId: ME.id })).toBe(html);
  });

  it('without mentions nothing is highlighted', () => {
    expect(renderMessage('@bob @alice', { myId: ME.id })).toBe(p('@bob @alice'));
  });
});

/** Elements and attributes the renderer may produce; anything else is a failure. */
const ALLOWED: Record<string, string[]> = {
  p: ['dir'],
  br: [],
  strong: [],
  em: [],
  s: [],
  code: [],
  pre: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: ['dir'],
  a: ['href', 'title', 'target', 'rel'],
  span: ['class', 'data-user-id'],
  div: ['class'],
  button: ['type', 'class', 'data-copy-code'],
};

function activeParts(html: string): string[] {
  const template = document.createElement('template');
  template.innerHTML = html;
  const found: string[] = [];
  for (const el of template.content.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    const allowed = ALLOWED[tag];
    if (!allowed) found.push(`<${tag}>`);
    for (const { name, value } of el.attributes) {
      if (name.startsWith('on') || !allowed?.includes(name)) found.push(`${tag}[${name}]`);
      if (name === 'href' && !/^(?:https?:|mailto:)/i.test(value)) found.push(`href=${value}`);
    }
    if (tag === 'a' && (el.getAttribute('target') !== '_blank' || el.getAttribute('rel') !== 'noopener noreferrer nofollow')) found.push(`a without target/rel`);
  }
  return found;
}

describe('nothing a sender writes becomes an active element', () => {
  const HOSTILE = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '[x](&#106;avascript:alert(1))',
    '[x](java\nscript:alert(1))',
    '[x][r]\n\n[r]: javascript:alert(1)',
    '<javascript:alert(1)>',
    '![x](javascript:alert(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](vbscript:alert(1))',
    '[x](https://ok.example "title\\" onclick=\\"alert(1)")',
    '```"><script>alert(1)</script>\ncode\n```',
    '`<img src=x onerror=alert(1)>`',
    '**<b onclick=alert(1)>x</b>**',
    '> <style>body{display:none}</style>',
    '- <form action=https://evil.example><input></form>',
    '@bob"><img src=x onerror=alert(1)>',
    ':tada:<script>',
    'https://example.com/"onmouseover="alert(1)',
    'https://example.com/<img src=x onerror=alert(1)>',
  ];

  it.each(HOSTILE)('%s', (body) => {
    const html = renderMessage(body, { mentions: [BOB, { id: '"><img src=x onerror=alert(1)>', username: 'evil' }], myId: ME.id });
    expect(activeParts(html)).toEqual([]);
  });

  it('a mention id from the server is escaped, not markup', () => {
    const html = renderMessage('@evil', { mentions: [{ id: '"><img src=x onerror=alert(1)>', username: 'evil' }] });
    expect(html).toBe(p('<span class="mention" data-user-id="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">@evil</span>'));
    expect(activeParts(html)).toEqual([]);
  });

  it('the checker itself catches what it is there for', () => {
    expect(activeParts('<img src=x onerror=alert(1)><a href="javascript:x">y</a><p onclick="x">z</p>')).toEqual([
      '<img>',
      'img[src]',
      'img[onerror]',
      'href=javascript:x',
      'a without target/rel',
      'p[onclick]',
    ]);
  });
});

describe('a code block\'s copy button', () => {
  it('is labelled in the language on screen', async () => {
    await loadLocale('zh-CN');
    try {
      expect(renderMessage('```\nx\n```')).toBe('<div class="code-block"><button type="button" class="code-copy" data-copy-code>复制</button><pre><code>x</code></pre></div>');
    } finally {
      await loadLocale('en');
    }
  });
});
