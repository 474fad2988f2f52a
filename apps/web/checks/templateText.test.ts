import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'vue/compiler-sfc';
import { describe, expect, it } from 'vitest';

/**
 * The other half of the catalogue check (issue 18, item 2): no component's template holds text a
 * reader sees that does not come from the catalogues, as text between tags or in an attribute read
 * to them. Text made in scripts goes through t() (typed by MessageKey) and is the reviewers' to catch.
 */
const READ_ATTRIBUTES = new Set(['title', 'placeholder', 'alt', 'label', 'aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext']);

// Vue's template AST node types (NodeTypes in @vue/compiler-core).
const ELEMENT = 1;
const TEXT = 2;
const ATTRIBUTE = 6;

interface TemplateNode {
  type: number;
  content?: string;
  tag?: string;
  props?: { type: number; name: string; value?: { content: string } }[];
  children?: TemplateNode[];
  loc: { start: { line: number } };
}

/** Any letter, in any script: a word to translate. Digits, punctuation and symbols (·, …, ×) are not. */
const hasWords = (text: string): boolean => /\p{L}/u.test(text);

function untranslated(source: string, filename: string): string[] {
  const { descriptor } = parse(source, { filename });
  const found: string[] = [];
  const walk = (node: TemplateNode): void => {
    if (node.type === TEXT && node.content && hasWords(node.content)) found.push(`line ${node.loc.start.line}: text "${node.content.trim()}"`);
    if (node.type === ELEMENT) {
      for (const prop of node.props ?? []) {
        if (prop.type === ATTRIBUTE && READ_ATTRIBUTES.has(prop.name) && prop.value && hasWords(prop.value.content)) {
          found.push(`line ${node.loc.start.line}: ${prop.name}="${prop.value.content}"`);
        }
      }
    }
    node.children?.forEach(walk);
  };
  const ast = descriptor.template?.ast as TemplateNode | undefined;
  if (ast) walk(ast);
  return found;
}

function vueFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return vueFiles(path);
    return name.endsWith('.vue') ? [path] : [];
  });
}

describe('templates', () => {
  const root = fileURLToPath(new URL('../src/', import.meta.url));

  it('finds text a reader would see, and nothing else (the check itself)', () => {
    const source = `<template>
  <p title="Hello" class="greeting">Hi {{ n }}</p>
  <button :aria-label="t('x')" data-testid="close-button">× {{ t('y') }} · 3</button>
  <svg aria-hidden="true"><path d="M3 4" /></svg>
  <input placeholder="名字" />
</template>`;
    expect(untranslated(source, 'probe.vue')).toEqual(['line 2: title="Hello"', 'line 2: text "Hi"', 'line 5: placeholder="名字"']);
  });

  it('no template holds untranslated text', () => {
    const faults = vueFiles(root).flatMap((file) => untranslated(readFileSync(file, 'utf8'), file).map((fault) => `${file.slice(root.length)} ${fault}`));
    expect(faults).toEqual([]);
  });
});
