import { shallowRef } from 'vue';
import type { MentionDto } from '@confab/shared';
import type { MarkdownIt } from 'markdown-it';
import type { MentionEnv } from './mentions';
import { createParser } from './parser';
import { tokensToPlainText } from './plainText';

let parser: MarkdownIt = createParser({});
// Bumped when the emoji table arrives: renderMessage and toPlainText read it, so a computed that
// called them renders again with the shortcodes turned into emoji.
const version = shallowRef(0);

/**
 * The shortcode table (about 1,900 names, 15 kB gzipped) loads as a chunk of its own right after
 * start-up, so it does not hold up the first paint. Until then `:tada:` shows as typed. Resolves
 * either way; a failed load leaves shortcodes as typed.
 */
export const emojiLoaded: Promise<void> = import('markdown-it-emoji/lib/data/full.mjs').then(
  ({ default: defs }) => {
    parser = createParser(defs);
    version.value += 1;
  },
  () => undefined,
);

function currentParser(): MarkdownIt {
  void version.value;
  return parser;
}

export interface RenderOptions {
  /** The message's resolved mentions (`MessageDto.mentions`): only these `@names` are highlighted. */
  mentions?: readonly MentionDto[];
  /** The viewer: a mention of them gets the `mention-me` class. */
  myId?: string | null;
}

/**
 * A message body (plain text as typed) as HTML: the markdown subset of docs/protocol.md, every
 * other character escaped. Safe for `v-html`: no raw HTML, links only to http, https and mailto.
 */
export function renderMessage(body: string, { mentions, myId = null }: RenderOptions = {}): string {
  const env: MentionEnv = { mentionsByName: new Map(mentions?.map((m) => [m.username.toLowerCase(), m])), myId };
  // Without the trailing newline markdown-it ends with, the text reads exactly as the body.
  return currentParser().render(body.normalize('NFC'), env).trimEnd();
}

/**
 * A message body as plain text, for previews, notifications and reply quotes: what the rendered
 * message reads as, without markup characters (links as their text, code as its text, shortcodes
 * as emoji), on one line.
 */
export function toPlainText(body: string): string {
  return tokensToPlainText(currentParser().parse(body.normalize('NFC'), {}));
}

/**
 * A conversation or room summary whose last message's body is its plain-text form, for the
 * sidebar's one-line preview (the preview helpers in lib/conversations and lib/rooms then work on
 * what the message reads as, not on its markup).
 */
export function withPlainLastMessage<T extends { lastMessage: { body: string } | null }>(holder: T): T {
  const last = holder.lastMessage;
  return last?.body ? { ...holder, lastMessage: { ...last, body: toPlainText(last.body) } } : holder;
}
