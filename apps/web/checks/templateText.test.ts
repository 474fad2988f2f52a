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
const DIRECTIVE = 7;

interface TemplateNode {
  type: number;
  content?: string;
  tag?: string;
  props?: { type: number; name: string; value?: { content: string }; arg?: { content?: string }; exp?: { content?: string } }[];
  children?: TemplateNode[];
  loc: { start: { line: number } };
}

/** Any letter, in any script: a word to translate. Digits, punctuation and symbols (·, …, ×) are not. */
const hasWords = (text: string): boolean => /\p{L}/u.test(text);

/**
 * The words in a bound attribute's expression (`:title="`Open ${name}`"`): the text of its string
 * literals once the catalogue keys given to t() are taken out, and with `${…}` parts removed.
 */
function literalWords(expression: string): string[] {
  const withoutKeys = expression.replace(/\bt\(\s*'[^']*'/g, 't(').replace(/keypath\s*:\s*'[^']*'/g, '');
  const literals = withoutKeys.match(/'[^']*'|"[^"]*"|`[^`]*`/g) ?? [];
  return literals.map((literal) => literal.slice(1, -1).replace(/\$\{[^}]*\}/g, '')).filter(hasWords);
}

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
        const bound = prop.type === DIRECTIVE && prop.name === 'bind' ? prop.arg?.content : undefined;
        if (bound && READ_ATTRIBUTES.has(bound) && prop.exp?.content) {
          for (const words of literalWords(prop.exp.content)) found.push(`line ${node.loc.start.line}: :${bound} with "${words}"`);
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
    const source = [
      '<template>',
      '  <p title="Hello" class="greeting">Hi {{ n }}</p>',
      `  <button :aria-label="t('x')" data-testid="close-button">× {{ t('y') }} · 3</button>`,
      '  <svg aria-hidden="true"><path d="M3 4" /></svg>',
      '  <input placeholder="名字" />',
      "  <img :alt=\"`Open image ${name}`\" :title=\"isOpen ? t('a.b') : ''\" :aria-label=\"t('a.c', { name })\" />",
      '</template>',
    ].join('\n');
    expect(untranslated(source, 'probe.vue')).toEqual(['line 2: title="Hello"', 'line 2: text "Hi"', 'line 5: placeholder="名字"', 'line 6: :alt with "Open image "']);
  });

  it('no template holds untranslated text', () => {
    const faults = vueFiles(root).flatMap((file) => untranslated(readFileSync(file, 'utf8'), file).map((fault) => `${file.slice(root.length)} ${fault}`));
    expect(faults).toEqual([]);
  });
});
