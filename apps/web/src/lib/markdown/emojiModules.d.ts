// markdown-it-emoji ships no types for the deep imports used here (the bare plugin without data,
// and the data as its own chunk).
declare module 'markdown-it-emoji/lib/bare.mjs' {
  import type { MarkdownIt } from 'markdown-it';
  export default function emojiPlugin(
    md: MarkdownIt,
    options: { defs: Record<string, string>; shortcuts: Record<string, string | string[]>; enabled?: string[] },
  ): void;
}

declare module 'markdown-it-emoji/lib/data/full.mjs' {
  const defs: Record<string, string>;
  export default defs;
}
