import { LIMITS, mentionCandidates, type MentionDto } from '@confab/shared';
import type { Env, StateCore, Token } from 'markdown-it';

/** What the mention rule reads from the render environment. */
export interface MentionEnv extends Env {
  /** The message's resolved mentions, by lower-cased username. */
  mentionsByName?: ReadonlyMap<string, MentionDto>;
  myId?: string | null;
}

interface Found {
  length: number;
  user: MentionDto;
}

/**
 * The mention starting at `text[at]` (an `@`), if its name is one of the message's mentions.
 * The token rule is the server's own: `mentionCandidates` runs on the `@name` alone with the
 * character before it, so its look-behind, name characters, minimum length and trailing
 * punctuation rule (`@bob.` may mean `@bob`) all apply unchanged.
 */
function mentionAt(text: string, at: number, before: string, mentionsByName: ReadonlyMap<string, MentionDto>): Found | null {
  const nextAt = text.indexOf('@', at + 1);
  const tokenEnd = Math.min(nextAt === -1 ? text.length : nextAt, at + 1 + LIMITS.usernameMaxLength + 1);
  // One `@` in the probe, so every candidate comes from this token: the whole name first, then
  // (when it ends in punctuation) the name without it.
  for (const name of mentionCandidates(before + text.slice(at, tokenEnd))) {
    const user = mentionsByName.get(name);
    if (user) return { length: 1 + name.length, user };
  }
  return null;
}

/** The character just before a text token as the body has it, near enough for the look-behind. */
function characterBefore(previous: Token | undefined): string {
  if (!previous) return ' ';
  if (previous.type === 'text' || previous.type === 'mention') return previous.content.slice(-1) || ' ';
  // Emphasis and strikethrough delimiters (`_@bob_`): the server saw that `_` or `*` too.
  if (/^(em|strong|s)_(open|close)$/.test(previous.type)) return previous.markup.slice(-1);
  return ' ';
}

function splitText(token: Token, before: string, env: MentionEnv, TokenClass: StateCore['Token']): Token[] | null {
  const text = token.content;
  const out: Token[] = [];
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    const found = mentionAt(text, at, at === 0 ? before : text[at - 1]!, env.mentionsByName!);
    if (!found) continue;
    if (at > copied) out.push(Object.assign(new TokenClass('text', '', 0), { content: text.slice(copied, at) }));
    const mention = new TokenClass('mention', 'span', 0);
    mention.content = text.slice(at, at + found.length);
    mention.meta = { id: found.user.id, isMe: found.user.id === env.myId };
    out.push(mention);
    copied = at + found.length;
    at = copied - 1;
  }
  if (copied === 0) return null;
  if (copied < text.length) out.push(Object.assign(new TokenClass('text', '', 0), { content: text.slice(copied) }));
  return out;
}

/**
 * Core rule: `@name` in text whose name is among the message's mentions becomes a `mention`
 * token. Text inside links and code is left alone (a link's text is the link's).
 */
export function mentionRule(state: StateCore): void {
  const env = state.env as MentionEnv;
  if (!env.mentionsByName?.size) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children: Token[] = [];
    let linkDepth = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') linkDepth += 1;
      if (token.type === 'link_close') linkDepth -= 1;
      const split = token.type === 'text' && linkDepth === 0 ? splitText(token, characterBefore(children.at(-1)), env, state.Token) : null;
      if (split) children.push(...split);
      else children.push(token);
    }
    block.children = children;
  }
}
