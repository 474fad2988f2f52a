// Issue #13, item 1: no regular expression in the shared package, the server or the web app may
// backtrack super-linearly. The inventory below lists every regular expression literal in their
// sources (read with the TypeScript parser, so a new one fails the first test until it is listed
// here with an attack), and each is timed on a 64 KiB adversarial input against a benign input of
// the same length: a ratio, so a busy machine slows both alike.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCANNED = ['packages/shared/src', 'apps/server/src', 'apps/web/src'];
const SIZE = 64 * 1024;
/** Generous: a linear scan stays within a few times its benign twin; a quadratic one is thousands. */
const MAX_RATIO = 20;

/** `head`, then `unit` repeated, then `tail`: SIZE UTF-16 units, give or take one unit. */
function pumped(head: string, unit: string, tail = ''): string {
  return head + unit.repeat(Math.floor((SIZE - head.length - tail.length) / unit.length)) + tail;
}

// V8 searches one-byte (Latin-1) and two-byte strings with different code and can rule out a
// match in a one-byte string at once (a surrogate, a non-Latin-1 class), so inputs that hold
// characters past U+00FF are compared with a two-byte benign twin.
const plain = pumped('', 'a');
const plainWide = pumped('', '\u03B1');
const hex24 = '0'.repeat(24);

interface Attack {
  /** What the expression guards, and who supplies its input. */
  what: string;
  /** The input that gives it the most partial matches to undo. */
  adversarial: string;
  /** Input of the same length that it scans as far, without partial matches. */
  benign: string;
}

// Keyed by file and literal, as the inventory finds them. Inputs that never match (or match only
// after scanning everything) make each run scan the whole string, so runs of both are comparable.
const ATTACKS: Record<string, Attack> = {
  'packages/shared/src/events.ts /^dm:([0-9a-f]{24}):([0-9a-f]{24})$/': {
    what: 'DM room ids from clients',
    adversarial: pumped(`dm:${hex24}:`, '0'),
    benign: pumped(`dm:${hex24}:${hex24}`, 'x'),
  },
  'packages/shared/src/schemas.ts /^[A-Za-z0-9._-]+$/': { what: 'usernames', adversarial: pumped('', 'a', '!'), benign: pumped('', 'a', 'a') },
  'packages/shared/src/schemas.ts /^[A-Za-z0-9_-]+$/': { what: 'clientIds', adversarial: pumped('', 'a', '!'), benign: pumped('', 'a', 'a') },
  'packages/shared/src/files.ts /^[0-9a-f]{24}$/': { what: 'file ids in sends', adversarial: pumped('', '0', 'x'), benign: plain },
  'packages/shared/src/files.ts /[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u2028\\u2029\\uFEFF]/gu': {
    what: 'invisible and control characters in uploaded file names',
    adversarial: pumped('', '\u200B'),
    benign: plainWide,
  },
  'packages/shared/src/files.ts /\\.[\\p{L}\\p{N}]{1,16}$/u': { what: 'the extension of a long uploaded file name', adversarial: pumped('', '.aaaaaaaaaaaaaaa', '!'.repeat(16)), benign: plainWide },
  'packages/shared/src/files.ts /\\s+/gu': { what: 'white space folded in uploaded file names', adversarial: pumped('', ' \u03B1'), benign: plainWide },
  'packages/shared/src/schemas.ts /^[0-9a-f]{24}$/': { what: 'user and message ids', adversarial: pumped('', '0', 'x'), benign: plain },
  'packages/shared/src/roomSchemas.ts /^(lobby|dm:[0-9a-f]{24}:[0-9a-f]{24}|[cg]:[0-9a-f]{24})$/': {
    what: 'room ids in payloads',
    adversarial: pumped(`dm:${hex24}:`, '0'),
    benign: pumped(`dm:${hex24}:${hex24}`, 'x'),
  },
  'packages/shared/src/roomSchemas.ts /^[0-9a-f]{24}$/': { what: 'user ids in invitations and groups', adversarial: pumped('', '0', 'x'), benign: plain },
  'packages/shared/src/roomSchemas.ts /^[\\p{L}\\p{M}\\p{N}_-]+$/u': { what: 'channel names', adversarial: pumped('', '字', ' '), benign: plainWide },
  'packages/shared/src/roomSchemas.ts /[\\p{L}\\p{N}]/u': { what: 'a letter or digit in channel names', adversarial: pumped('', '-'), benign: pumped('', '-', 'a') },
  'packages/shared/src/roomSchemas.ts /[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]/u': {
    what: 'direction controls in channel topics',
    adversarial: pumped('', 'א', '\u202E'),
    benign: plainWide,
  },
  'apps/server/src/services/rooms/roomMembership.ts /^[0-9a-f]{24}$/': { what: 'room:members cursors', adversarial: pumped('', '0', 'x'), benign: plain },
  'apps/server/src/store/mongo/membershipModel.ts /^[cg]:[0-9a-f]{24}$/': { what: 'room ids stored with memberships', adversarial: pumped('c:', '0', 'x'), benign: plain },
  'apps/server/src/store/mongo/roomModel.ts /^[cg]:[0-9a-f]{24}$/': { what: 'room ids stored with rooms', adversarial: pumped('c:', '0', 'x'), benign: plain },
  'packages/shared/src/text.ts /[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]/': {
    what: 'control characters in bodies and names',
    adversarial: pumped('', '\u00A0', '\u0007'),
    benign: plain,
  },
  'packages/shared/src/text.ts /\\p{Cs}/u': { what: 'lone surrogates in bodies and names', adversarial: pumped('', '😀', '\uD800'), benign: plainWide },
  'packages/shared/src/text.ts /[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]/u': {
    what: 'direction controls in names',
    adversarial: pumped('', 'א', '\u202E'),
    benign: plainWide,
  },
  'packages/shared/src/text.ts /[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]/gu': {
    what: 'direction controls removed by isolateText',
    adversarial: pumped('', 'א', '\u202E'),
    benign: plainWide,
  },
  'packages/shared/src/text.ts /[\\p{Cf}\\p{Default_Ignorable_Code_Point}\\u2800]/u': {
    what: 'invisible characters in names',
    adversarial: pumped('', '😀', '\u200B'),
    benign: plainWide,
  },
  'packages/shared/src/text.ts /[^\\s\\p{Cc}\\p{Cf}\\p{Cs}\\p{Default_Ignorable_Code_Point}\\u2800]/u': {
    what: 'the visible character a body or name needs',
    adversarial: pumped('', '\u200B\u2800\u3164\uFEFF', 'a'),
    benign: pumped('', '\u3000', 'a'),
  },
  'packages/shared/src/text.ts /(?<=(?![\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{Script=Common}\\p{Script=Inherited}])[\\p{L}\\p{M}])[\\u200C\\u200D](?=[\\p{L}\\p{M}])/gu':
    { what: 'joiners a joining script needs, in names', adversarial: pumped('', '\u0628\u200D.'), benign: plainWide },
  'packages/shared/src/text.ts /(?<=\\p{Extended_Pictographic}[\\uFE0F\\p{Emoji_Modifier}]?)\\u200D(?=\\p{Extended_Pictographic})/gu': {
    what: 'emoji ZWJ sequences, in names',
    adversarial: pumped('', '👩\uFE0F\u200D.'),
    benign: plainWide,
  },
  'packages/shared/src/text.ts /(?<=\\p{Emoji})[\\uFE0E\\uFE0F]/gu': { what: 'emoji variation selectors, in names', adversarial: pumped('', '😀'), benign: plainWide },
  'packages/shared/src/text.ts /(?<=\\u{1F3F4})[\\u{E0020}-\\u{E007E}]+\\u{E007F}/gu': {
    what: 'flag tag sequences, in names',
    adversarial: pumped('🏴', '\u{E0067}', '!'),
    benign: plainWide,
  },
  'packages/shared/src/text.ts /\\r\\n?/g': { what: 'line breaks folded in bodies', adversarial: pumped('', '\n'), benign: plain },
  'packages/shared/src/text.ts /\\s+/g': { what: 'white space folded in excerpts of bodies', adversarial: pumped('', '\u200B'), benign: plainWide },
  'packages/shared/src/mentions.ts /(?<![\\p{L}\\p{N}._@-])@([A-Za-z0-9._-]{1,32})/gu': {
    what: 'mentions in bodies',
    adversarial: pumped('', ` @${'a'.repeat(30)}`),
    benign: pumped('', ` a${'a'.repeat(30)}`),
  },
  'packages/shared/src/mentions.ts /(?<![._-])[._-]+$/': { what: 'punctuation after a mention in a body', adversarial: pumped('', '.', 'x'), benign: plain },
  'packages/shared/src/messageSchemas.ts /^\\p{RGI_Emoji}$/v': { what: 'reaction emoji from clients', adversarial: pumped('👩‍👩‍👧‍👦', '😀'), benign: plainWide },
  'packages/shared/src/text.ts /\\s+/gu': { what: 'white space folded in names', adversarial: pumped('', '\u200B'), benign: plainWide },
  'packages/shared/src/text.ts /[\\u0590-\\u08FF\\uFB1D-\\uFDFF\\uFE70-\\uFEFE\\u{10800}-\\u{10FFF}\\u{1E800}-\\u{1EFFF}]/u': {
    what: 'right-to-left text in isolateText',
    adversarial: pumped('', '😀'),
    benign: plainWide,
  },
  'apps/server/src/config.ts /^(mongodb(\\+srv)?:\\/\\/.+)?$/': {
    what: 'MONGODB_URL (operator)',
    adversarial: pumped('mongodb://', 'a', '\n'),
    benign: pumped('mongodb://', 'a', 'a'),
  },
  'apps/server/src/config.ts /^(rediss?:\\/\\/.+)?$/': { what: 'REDIS_URL (operator)', adversarial: pumped('redis://', 'a', '\n'), benign: pumped('redis://', 'a', 'a') },
  'apps/server/src/services/dmService.ts /^(\\d{1,15})_(dm:[0-9a-f]{24}:[0-9a-f]{24})$/': {
    what: 'dm:conversations cursors from clients',
    adversarial: pumped(`${'1'.repeat(15)}_dm:${hex24}:`, '0'),
    benign: pumped(`${'1'.repeat(15)}_dm:${hex24}:${hex24}`, 'x'),
  },
  'apps/server/src/store/mongo/connect.ts /\\/\\/[^@/]*@/': { what: 'credentials hidden in MONGODB_URL (operator)', adversarial: pumped('//', 'a'), benign: plain },
  'apps/server/src/store/mongo/connect.ts /\\?[\\s\\S]*$/': { what: 'options hidden in MONGODB_URL (operator)', adversarial: pumped('', '?', '\n'), benign: plain },
  'apps/server/src/store/mongo/connect.ts /^mongodb(?:\\+srv)?:\\/\\/[^/]+\\/([^?]+)/': {
    what: 'the database name in MONGODB_URL (operator)',
    adversarial: pumped('mongodb://', 'a'),
    benign: pumped('mongodb://a/', 'a'),
  },
  'apps/server/src/store/mongo/messageModel.ts /^[0-9a-f]{24}$/': { what: 'message ids stored', adversarial: pumped('', '0', 'x'), benign: plain },
  'apps/server/src/store/mongo/mongoMessageStore.ts /^[0-9a-f]{24}$/': { what: 'message ids looked up', adversarial: pumped('', '0', 'x'), benign: plain },
  'apps/server/src/store/mongo/mongoUserStore.ts /^[0-9a-f]{24}$/': { what: 'user ids looked up', adversarial: pumped('', '0', 'x'), benign: plain },
  'apps/web/src/lib/avatar.ts /[\\s._-]+/u': { what: "initials from other users' names", adversarial: pumped('', '😀'), benign: plainWide },
  'apps/web/src/lib/rooms.ts /^#+/': { what: 'a channel name typed with #', adversarial: pumped('', '#', 'x'), benign: pumped('', '#', '#') },
  'apps/web/src/lib/lastRoom.ts /^\\/(?:dm|c|g)\\/[^/]+$/': { what: 'the last room kept in this browser', adversarial: pumped('/c/', 'a', '/'), benign: pumped('/c/', 'a') },
  'apps/web/src/router/index.ts /dynamically imported module|module script|Importing a module/i': {
    what: "a failed chunk load's message (which names the chunk's URL)",
    adversarial: pumped('', 'Importing a modul'),
    benign: plain,
  },
  'apps/web/src/lib/draft.ts /^body\\b/': { what: 'the composer error', adversarial: pumped('body', 'x'), benign: plain },
  'apps/web/src/lib/graphemes.ts /\\s+/g': { what: "white space in other users' messages", adversarial: pumped('', '\u200B'), benign: plainWide },
  'apps/web/src/composables/useMentionAutocomplete.ts /(?<![\\p{L}\\p{N}._@-])@([A-Za-z0-9._-]{0,32})$/u': {
    what: 'the mention being typed in the composer',
    adversarial: pumped('', ` @${'a'.repeat(30)}`),
    benign: pumped('', ` a${'a'.repeat(30)}`),
  },
  'apps/web/src/composables/useMentionAutocomplete.ts /^\\s/u': { what: 'the text after a completed mention', adversarial: pumped('', 'a'), benign: plainWide },
  'apps/web/src/composables/useMentionSource.ts /\\s+/u': { what: "words of other users' names", adversarial: pumped('', '\u200B'), benign: plainWide },
  'apps/web/src/lib/reactionEmoji.ts /(\\p{Emoji_Presentation})\\uFE0F/gu': { what: 'variation selectors in picked emoji', adversarial: pumped('', '👍\uFE0F', 'x'), benign: plain },
  'apps/web/src/lib/markdown/mentions.ts /^(em|strong|s)_(open|close)$/': { what: 'markdown token types', adversarial: pumped('strong_', 'o'), benign: plain },
  'apps/web/src/lib/markdown/parser.ts /^(?:https?:|mailto:)/i': { what: "links in other users' messages", adversarial: pumped('https', 's'), benign: plain },
  'apps/web/src/lib/markdown/parser.ts /\\n$/': { what: "code blocks in other users' messages", adversarial: pumped('', '\n', 'x'), benign: plain },
  'apps/web/src/lib/markdown/plainText.ts /\\s+/g': { what: "white space in other users' messages, as plain text", adversarial: pumped('', '\u200B'), benign: plainWide },
  'apps/web/src/lib/identity.ts /[\\p{Cf}\\p{Default_Ignorable_Code_Point}\\u2800]/gu': {
    what: "invisible characters in other users' names",
    adversarial: pumped('', '😀', '\u200B'),
    benign: plainWide,
  },
  'apps/web/src/router/redirect.ts /^\\/[/\\\\]/': { what: 'the ?redirect= query', adversarial: pumped('/', 'a'), benign: plain },
};

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if ((entry.name.endsWith('.ts') || entry.name.endsWith('.vue')) && !entry.name.endsWith('.test.ts')) yield path;
  }
}

const SCRIPT_BLOCK = /<script\b[^>]*>([\s\S]*?)<\/script>/g;
// Template expressions are not parsed: any regular-expression call in a template is flagged.
const TEMPLATE_REGEX_USE = /RegExp\(|\.(?:test|exec)\(|\.(?:replace|replaceAll|split|match|matchAll|search)\(\s*\//;

/** Every regular expression literal as `path /literal/flags`, and every dynamically built one. */
function inventory(): { literals: Set<string>; dynamic: string[] } {
  const literals = new Set<string>();
  const dynamic: string[] = [];
  for (const dir of SCANNED) {
    for (const path of sourceFiles(join(ROOT, dir))) {
      const file = relative(ROOT, path);
      const text = readFileSync(path, 'utf8');
      const scripts = path.endsWith('.vue') ? [...text.matchAll(SCRIPT_BLOCK)].map((m) => m[1]!) : [text];
      if (path.endsWith('.vue') && TEMPLATE_REGEX_USE.test(text.replace(SCRIPT_BLOCK, ''))) dynamic.push(`${file}: a regular expression in the template`);
      for (const script of scripts) {
        const visit = (node: ts.Node): void => {
          if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) literals.add(`${file} ${node.getText()}`);
          if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') {
            // Built from constant strings (a flag TypeScript's target cannot write as a literal): as good as a literal.
            const args = node.arguments ?? [];
            if (args.length >= 1 && args.length <= 2 && args.every((arg) => ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
              literals.add(`${file} ${String(new RegExp((args[0] as ts.StringLiteral).text, (args[1] as ts.StringLiteral | undefined)?.text))}`);
            } else {
              dynamic.push(`${file}: ${node.getText()}`);
            }
          }
          ts.forEachChild(node, visit);
        };
        visit(ts.createSourceFile(file, script, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
      }
    }
  }
  return { literals, dynamic };
}

function regexOf(key: string): RegExp {
  const literal = key.slice(key.indexOf(' ') + 1);
  const end = literal.lastIndexOf('/');
  // Without `g` or `y`, exec always starts at 0: one full search per run, as the code's first match does.
  return new RegExp(literal.slice(1, end), literal.slice(end + 1).replace(/[gy]/g, ''));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Milliseconds for `runs` searches of `input`. */
function time(re: RegExp, input: string, runs: number): number {
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) re.exec(input);
  return performance.now() - start;
}

/** Median time on the adversarial input over median time on the benign one. */
function slowdown(re: RegExp, attack: Attack): number {
  // Warm up (V8 compiles a regular expression to native code after its first runs), then take
  // enough runs per sample that the pair lasts a few milliseconds, above the timer's noise; a
  // quadratic expression takes seconds for one run, so it stays at one.
  let runs = 1;
  while (time(re, attack.benign, runs) + time(re, attack.adversarial, runs) < 3 && runs < 1 << 16) runs *= 2;
  const benign: number[] = [];
  const adversarial: number[] = [];
  for (let sample = 0; sample < 7; sample += 1) {
    benign.push(time(re, attack.benign, runs));
    adversarial.push(time(re, attack.adversarial, runs));
    // Far past the bound after three samples: no need to wait seconds more for the rest.
    if (sample >= 2 && median(adversarial) > 10 * MAX_RATIO * median(benign)) break;
  }
  return median(adversarial) / median(benign);
}

describe('regular expressions on untrusted input', () => {
  it('are all listed here with an attack: a new one must be added, a removed one taken out', () => {
    const { literals, dynamic } = inventory();
    expect(dynamic, 'dynamically built regular expressions cannot be checked here; use a literal').toEqual([]);
    expect([...literals].filter((key) => !(key in ATTACKS)), 'in the sources but not in ATTACKS').toEqual([]);
    expect(Object.keys(ATTACKS).filter((key) => !literals.has(key)), 'in ATTACKS but no longer in the sources').toEqual([]);
  });

  it('each attack input is 64 KiB, like its benign twin', () => {
    for (const [key, attack] of Object.entries(ATTACKS)) {
      expect(Math.abs(attack.adversarial.length - SIZE), key).toBeLessThanOrEqual(8);
      expect(Math.abs(attack.benign.length - SIZE), key).toBeLessThanOrEqual(8);
    }
  });

  it.each(Object.entries(ATTACKS))(`%s stays within ${MAX_RATIO}× of a benign input on a 64 KiB adversarial one`, (key, attack) => {
    const ratio = slowdown(regexOf(key), attack);
    expect(ratio, `${attack.what}: ${ratio.toFixed(1)}× slower`).toBeLessThan(MAX_RATIO);
  }, 60_000);
});
