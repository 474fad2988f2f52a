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
const INTERPOLATION = 5;
const ATTRIBUTE = 6;
const DIRECTIVE = 7;
// ElementTypes in @vue/compiler-core: a tag that is one of the app's components, not an HTML element.
const COMPONENT = 1;

/** A component's props that hold names, ids or settings, never words a reader sees. */
const NON_TEXT_PROPS = new Set(['class', 'id', 'name', 'type', 'testid', 'to', 'href', 'tag', 'keypath', 'scope', 'role', 'autocomplete', 'inputmode', 'lang', 'size', 'variant', 'tone', 'kind', 'mode', 'ref', 'state']);
const isNonTextProp = (name: string): boolean => NON_TEXT_PROPS.has(name) || /(?:^|-)(?:id|testid|class)(?:-|$)/.test(name) || name.startsWith('data-') || name.startsWith('aria-');

interface TemplateNode {
  type: number;
  content?: string | { content?: string };
  tag?: string;
  tagType?: number;
  props?: { type: number; name: string; value?: { content: string }; arg?: { content?: string }; exp?: { content?: string } }[];
  children?: TemplateNode[];
  loc: { start: { line: number } };
}

/**
 * Any letter, in any script: a word to translate. Digits, punctuation and symbols (·, …, ×) are
 * not, nor a room's or a person's name as written in the app (#lobby, @nora).
 */
const hasWords = (text: string): boolean => /\p{L}/u.test(text.replace(/[#@][\w.-]+/g, ''));

/**
 * The words in a bound attribute's expression (`:title="`Open ${name}`"`): the text of its string
 * literals once the catalogue keys given to t() are taken out, and with `${…}` parts removed.
 */
function literalWords(expression: string): string[] {
  const withoutKeys = expression
    .replace(/\bt\(\s*'[^']*'/g, 't(')
    .replace(/keypath\s*:\s*'[^']*'/g, '')
    // A value compared with (status === 'submitting') is a state's name, not text.
    .replace(/(?:===|!==)\s*'[^']*'/g, '')
    .replace(/'[^']*'\s*(?:===|!==)/g, '');
  const literals = withoutKeys.match(/'[^']*'|"[^"]*"|`[^`]*`/g) ?? [];
  return literals.map((literal) => literal.slice(1, -1).replace(/\$\{[^}]*\}/g, '')).filter(hasWords);
}

function untranslated(source: string, filename: string): string[] {
  const { descriptor } = parse(source, { filename });
  const found: string[] = [];
  const walk = (node: TemplateNode): void => {
    if (node.type === TEXT && typeof node.content === 'string' && hasWords(node.content)) found.push(`line ${node.loc.start.line}: text "${node.content.trim()}"`);
    if (node.type === INTERPOLATION && typeof node.content === 'object' && node.content.content) {
      for (const words of literalWords(node.content.content)) found.push(`line ${node.loc.start.line}: {{ }} with "${words}"`);
    }
    if (node.type === ELEMENT) {
      for (const prop of node.props ?? []) {
        const isReadByComponent = node.tagType === COMPONENT && !isNonTextProp(prop.name);
        if (prop.type === ATTRIBUTE && (READ_ATTRIBUTES.has(prop.name) || isReadByComponent) && prop.value && hasWords(prop.value.content)) {
          found.push(`line ${node.loc.start.line}: ${prop.name}="${prop.value.content}"`);
        }
        const bound = prop.type === DIRECTIVE && prop.name === 'bind' ? prop.arg?.content : undefined;
        const isBoundForComponent = bound !== undefined && node.tagType === COMPONENT && !isNonTextProp(bound);
        if (bound && (READ_ATTRIBUTES.has(bound) || isBoundForComponent) && prop.exp?.content) {
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
      "  <p>{{ status === 'submitting' ? 'Signing in…' : t('a.d') }}</p>",
      '  <AuthField hint="At least 8" testid="signup-password" :retry-label="`Retry ${n}`" class="wide" />',
      '</template>',
    ].join('\n');
    expect(untranslated(source, 'probe.vue')).toEqual(['line 2: title="Hello"', 'line 2: text "Hi"', 'line 5: placeholder="名字"', 'line 6: :alt with "Open image "', 'line 7: {{ }} with "Signing in…"', 'line 8: hint="At least 8"', 'line 8: :retry-label with "Retry "']);
  });

  it('no template holds untranslated text', () => {
    const faults = vueFiles(root).flatMap((file) => untranslated(readFileSync(file, 'utf8'), file).map((fault) => `${file.slice(root.length)} ${fault}`));
    expect(faults).toEqual([]);
  });
});
