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

/**
 * The text a parsed message reads as, without markup, on one line. A numbered item reads with the
 * number the rendered list shows (`2024. What a year` is a sentence more often than a list): the
 * list starts at its first item's number and counts on from there, whatever the later items say.
 */
export function tokensToPlainText(tokens: Token[]): string {
  const parts: string[] = [];
  // The next number of each open list, innermost last; null for a bulleted one.
  const lists: (number | null)[] = [];
  for (const token of tokens) {
    if (token.type === 'inline') parts.push(...(token.children ?? []).map(inlineText));
    else if (token.type === 'fence') parts.push(' ', token.content, ' ');
    else if (token.type === 'ordered_list_open') lists.push(Number(token.attrGet('start') ?? 1));
    else if (token.type === 'bullet_list_open') lists.push(null);
    else if (token.type === 'ordered_list_close' || token.type === 'bullet_list_close') lists.pop();
    else if (token.type === 'list_item_open' && typeof lists.at(-1) === 'number') {
      const number = lists.at(-1)!;
      lists[lists.length - 1] = number + 1;
      parts.push(` ${number}${token.markup} `);
    } else parts.push(' ');
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}
