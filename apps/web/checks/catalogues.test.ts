import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseCompile } from '@intlify/message-compiler';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@confab/shared';
import { en } from '../src/i18n/messages/en';
import { zhCN } from '../src/i18n/messages/zh-CN';

/**
 * The catalogue check (issue 18, item 2): both catalogues hold the same keys, every message
 * compiles with the same placeholders in both, every key the code names exists, and every error
 * code has a text. Untranslated template text is templateText.test.ts's.
 */
type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

// The compiler's node types (NodeTypes in @intlify/message-compiler; a const enum, not exported at run time).
const NAMED = 4;
const LIST = 5;
const LINKED = 6;

interface Compiled {
  errors: string[];
  placeholders: Set<string>;
  forms: number;
}

function compile(message: string): Compiled {
  const errors: string[] = [];
  const { ast } = baseCompile(message, { onError: (error) => errors.push(error.message) });
  const placeholders = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: number; key?: unknown };
    if (n.type === NAMED) placeholders.add(String(n.key));
    if (n.type === LIST) errors.push('list placeholders ({0}) are not used here: name them');
    if (n.type === LINKED) errors.push("a linked message (@:key): write a literal @ as {'@'}");
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') walk(value);
    }
  };
  walk(ast);
  const body = (ast as { body?: { cases?: unknown[] } }).body;
  return { errors, placeholders, forms: body?.cases?.length ?? 1 };
}

const english = leaves(en as Tree);
const chinese = leaves(zhCN as Tree);

describe('catalogues', () => {
  it('zh-CN has exactly the English keys', () => {
    expect([...chinese.keys()].filter((key) => !english.has(key))).toEqual([]);
    expect([...english.keys()].filter((key) => !chinese.has(key))).toEqual([]);
  });

  it('no message is empty', () => {
    const empty = [...english, ...chinese].filter(([, message]) => message.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('every message compiles, with the same placeholders in both languages', () => {
    const faults: string[] = [];
    for (const [key, message] of english) {
      const source = compile(message);
      for (const error of source.errors) faults.push(`en ${key}: ${error}`);
      const translation = chinese.get(key);
      if (translation === undefined) continue;
      const target = compile(translation);
      for (const error of target.errors) faults.push(`zh-CN ${key}: ${error}`);
      const a = [...source.placeholders].sort().join(',');
      const b = [...target.placeholders].sort().join(',');
      if (a !== b) faults.push(`${key}: placeholders {${a}} in English, {${b}} in Chinese`);
      // Chinese has one plural form; it may give one (used for every count) or as many as English.
      if (target.forms !== 1 && target.forms !== source.forms) faults.push(`${key}: ${source.forms} plural forms in English, ${target.forms} in Chinese`);
    }
    expect(faults).toEqual([]);
  });

  it('every Chinese message is translated: none is the English one, but for names and keys', () => {
    // Words that stay as they are in Chinese: the brand, key names, unit symbols (MB, GB), and messages with no words.
    const untranslated = [...chinese].filter(([key, message]) => message === english.get(key) && /\p{L}{2}/u.test(message.replace(/\{[^}]*\}/g, '').replace(/[#@][\w.-]+/g, '')));
    const kept = new Set(['common.appName', 'composer.keys.enter', 'composer.keys.shift', 'composer.keys.escape', 'layout.lobby.label', 'admin.settings.units.megabytes', 'admin.settings.units.gigabytes']);
    expect(untranslated.map(([key]) => key).filter((key) => !kept.has(key))).toEqual([]);
  });

  it('Chinese messages use full-width punctuation next to Chinese text', () => {
    const han = '\\p{Script=Han}';
    const halfWidth = new RegExp(`${han}[,:;?!()]|[,:;?!(]${han}`, 'u');
    expect([...chinese].filter(([, message]) => halfWidth.test(message)).map(([key, message]) => `${key}: ${message}`)).toEqual([]);
  });

  it('every error code the server can send has a text', () => {
    expect(ERROR_CODES.filter((code) => !english.has(`errors.${code}`))).toEqual([]);
  });

  it('every key the code names exists', () => {
    const root = fileURLToPath(new URL('../src/', import.meta.url));
    const missing: string[] = [];
    // t('a.b'), tDynamic is for keys made at run time; keypath="a.b" is <i18n-t>'s.
    const patterns = [/\bt\(\s*'([A-Za-z0-9_.]+)'/g, /\bt\(\s*"([A-Za-z0-9_.]+)"/g, /\bkeypath="([A-Za-z0-9_.]+)"/g];
    const visit = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) visit(path);
        else if (/\.(ts|vue)$/.test(name) && !name.endsWith('.test.ts')) {
          const text = readFileSync(path, 'utf8');
          for (const pattern of patterns) {
            for (const match of text.matchAll(pattern)) if (!english.has(match[1]!)) missing.push(`${path.slice(root.length)}: ${match[1]}`);
          }
        }
      }
    };
    visit(root);
    expect(missing).toEqual([]);
  });
});
