import type { Token } from 'markdown-it';

function inlineText(token: Token): string {
  switch (token.type) {
    case 'text':
    case 'code_inline':
    case 'emoji':
    case 'mention':
      return token.content;
    case 'softbreak':
    case 'hardbreak':
      return ' ';
    default:
      // Emphasis, strikethrough and link delimiters: their text comes as the tokens between them.
      return '';
  }
}

/** The text a parsed message reads as, without markup, on one line. */
export function tokensToPlainText(tokens: Token[]): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type === 'inline') parts.push(...(token.children ?? []).map(inlineText));
    else if (token.type === 'fence') parts.push(' ', token.content, ' ');
    // An ordered item keeps its number: `2024. What a year` is a sentence more often than a list.
    else if (token.type === 'list_item_open' && token.info) parts.push(` ${token.info}${token.markup} `);
    else parts.push(' ');
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}
