import Markdown, { type MarkdownIt, type RendererRule } from 'markdown-it';
import emojiPlugin from 'markdown-it-emoji/lib/bare.mjs';
import { t } from '../../i18n';
import { mentionRule } from './mentions';

/** The only link schemes a message may carry; everything else stays text as typed. */
const ALLOWED_LINK = /^(?:https?:|mailto:)/i;

/**
 * Markup that is not part of a chat message: it stays as typed. Indented code (`code`) is off
 * because leading spaces in a chat line are rarely meant as code; fences are the way to write it.
 * `entity` is off because a body is plain text: `&copy;` means those six characters.
 */
const DISABLED_RULES = ['table', 'code', 'hr', 'reference', 'html_block', 'heading', 'lheading', 'image', 'html_inline', 'entity'];

const linkOpen: RendererRule = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return self.renderToken(tokens, idx, options);
};

// Paragraphs and list items take their direction from their own first strong character, so an
// Arabic or Hebrew line reads right to left between English ones.
const withAutoDirection: RendererRule = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('dir', 'auto');
  return self.renderToken(tokens, idx, options);
};

type Escape = (text: string) => string;

// The copy button is plain markup: ChatMessageBody handles its clicks by delegation, so the
// rendered HTML carries no script or handler. Its label is read at render time: a computed that
// renders a message follows a change of language.
const fence =
  (escapeHtml: Escape): RendererRule =>
  (tokens, idx) => {
    const code = tokens[idx]!.content.replace(/\n$/, '');
    return `<div class="code-block"><button type="button" class="code-copy" data-copy-code>${escapeHtml(t('chat.code.copy'))}</button><pre><code>${escapeHtml(code)}</code></pre></div>\n`;
  };

const mention =
  (escapeHtml: Escape): RendererRule =>
  (tokens, idx) => {
    const token = tokens[idx]!;
    const { id, isMe } = token.meta as { id: string; isMe: boolean };
    return `<span class="mention${isMe ? ' mention-me' : ''}" data-user-id="${escapeHtml(id)}">${escapeHtml(token.content)}</span>`;
  };

/**
 * A markdown-it set up for chat messages: bold, italic, strikethrough, inline code, fenced code,
 * block quotes, lists, links (http, https and mailto only, opened in a new tab), line breaks as
 * typed, emoji shortcodes from `emojiDefs`, and mentions (see {@link mentionRule}). Raw HTML is
 * always escaped.
 */
export function createParser(emojiDefs: Record<string, string>): MarkdownIt {
  const md = new Markdown('default', { html: false, xhtmlOut: false, breaks: true, linkify: true, typographer: false });
  md.disable(DISABLED_RULES);
  md.validateLink = (url) => ALLOWED_LINK.test(url.trim());
  // No `:)` style shortcuts: only `:name:` turns into an emoji, so text like `:p` stays as typed.
  md.use(emojiPlugin, { defs: emojiDefs, shortcuts: {} });
  md.core.ruler.push('mention', mentionRule);
  md.renderer.rules.link_open = linkOpen;
  md.renderer.rules.paragraph_open = withAutoDirection;
  md.renderer.rules.list_item_open = withAutoDirection;
  md.renderer.rules.fence = fence(md.utils.escapeHtml);
  md.renderer.rules.mention = mention(md.utils.escapeHtml);
  return md;
}
