import { describe, expect, it } from 'vitest';

// Vitest hands CSS imports to tests as empty strings (even `?raw`), so the file is read from disk.
// The browser tsconfig has no Node types: the two functions are typed here.
type NodeFs = { readFileSync(path: string, encoding: 'utf8'): string };
type NodeUrl = { fileURLToPath(url: string): string };
const { readFileSync } = (await import(/* @vite-ignore */ 'node:fs' as string)) as NodeFs;
const { fileURLToPath } = (await import(/* @vite-ignore */ 'node:url' as string)) as NodeUrl;
const css = readFileSync(fileURLToPath(import.meta.url.replace(/[^/]*$/, 'main.css')), 'utf8');

type Rgba = [number, number, number, number];

/** The `--name: value` declarations of the first rule whose selector is exactly `selector`. */
function declarations(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no rule ${selector} in main.css`);
  const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('\n}', start));
  const found = new Map<string, string>();
  for (const match of body.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) {
    found.set(match[1]!, match[2]!.trim());
  }
  return found;
}

const light = declarations(':root');
/** The dark set overrides some tokens; the rest are shared with light. */
const dark = new Map([...light, ...declarations(":root[data-theme='dark']")]);
const themes = { light, dark };

function parseColour(value: string): Rgba {
  const hex = /^#([0-9a-f]{6})$/i.exec(value);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16)).concat(1) as Rgba;
  const rgba = /^rgba?\(([^)]+)\)$/.exec(value);
  if (rgba) {
    const [r, g, b, a = 1] = rgba[1]!.split(',').map(Number);
    return [r!, g!, b!, a];
  }
  throw new Error(`not a colour this test reads: ${value}`);
}

/** A token's colour; `top/under` is `top` painted over `under` (a translucent token on its surface). */
function colour(tokens: Map<string, string>, name: string): Rgba {
  const [top, ...rest] = name.split('/');
  const under = rest.join('/');
  const value = tokens.get(`--${top}`);
  if (!value) throw new Error(`no token --${top}`);
  const [r, g, b, a] = parseColour(value);
  if (a === 1) return [r, g, b, 1];
  if (!under) throw new Error(`--${top} is translucent: say what it is painted over`);
  const base = colour(tokens, under);
  return [0, 1, 2].map((i) => Math.round([r, g, b][i]! * a + base[i]! * (1 - a))).concat(1) as Rgba;
}

/** WCAG 2 relative luminance and contrast ratio. */
function luminance([r, g, b]: Rgba): number {
  const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const PAGE = ['color-bg', 'color-bg-subtle', 'color-bg-hover'];
/** Where message rows and menu items sit: the page, a row mentioning the reader, a highlighted row. */
const ROWS = [...PAGE, 'color-primary-soft', 'color-warning-soft'];
const SIDEBAR = ['color-sidebar', 'color-sidebar-hover/color-sidebar', 'color-sidebar-active/color-sidebar'];
const AVATARS = Array.from({ length: 8 }, (_, i) => `avatar-${i}`);
const FILES = ['color-file', 'color-file-pdf', 'color-file-archive', 'color-file-text', 'color-file-image', 'color-file-media'];

/** [foreground, the backgrounds it is drawn on]: text needs 4.5:1 (WCAG AA). */
const TEXT: [string, string[]][] = [
  ['color-text', ROWS],
  ['color-text-muted', ROWS],
  ['color-text-faint', ROWS],
  ['color-primary', PAGE],
  ['color-primary-hover', ['color-primary-soft']],
  ['color-danger', [...PAGE, 'color-danger-soft']],
  ['color-warning', ['color-bg', 'color-warning-soft']],
  ['color-success', PAGE],
  ['color-on-primary', ['color-primary', 'color-primary-hover']],
  ['color-on-badge', ['color-badge']],
  ['color-on-avatar', AVATARS],
  ['color-on-file', FILES],
  ['color-sidebar-text', SIDEBAR],
  ['color-sidebar-muted', SIDEBAR],
  ['color-sidebar-strong', SIDEBAR],
  ['color-viewer-text', ['color-viewer-bg/color-bg', 'color-viewer-control-hover/color-viewer-bg/color-bg']],
  ['color-viewer-muted/color-viewer-bg/color-bg', ['color-viewer-bg/color-bg']],
];

/** Graphics and the focus ring need 3:1 (WCAG 1.4.11) against what is around them. */
const NON_TEXT: [string, string[]][] = [
  ['color-focus-ring', [...ROWS, ...SIDEBAR]],
  ...FILES.map((file): [string, string[]] => [file, PAGE]),
];

function failures(theme: Map<string, string>, pairs: [string, string[]][], minimum: number): string[] {
  return pairs.flatMap(([fg, backgrounds]) =>
    backgrounds.flatMap((bg) => {
      const ratio = contrast(colour(theme, fg), colour(theme, bg));
      return ratio >= minimum ? [] : [`${fg} on ${bg}: ${ratio.toFixed(2)}:1`];
    }),
  );
}

describe('contrast of the colour tokens in main.css', () => {
  it('computes WCAG ratios as the specification does', () => {
    expect(contrast(parseColour('#000000'), parseColour('#ffffff'))).toBeCloseTo(21, 5);
    expect(contrast(parseColour('#777777'), parseColour('#ffffff'))).toBeCloseTo(4.48, 2);
    expect(contrast(parseColour('#8c8fa3'), parseColour('#ffffff'))).toBeCloseTo(3.19, 2);
  });

  describe.each(Object.entries(themes))('in the %s theme', (_, theme) => {
    it('every text token reaches 4.5:1 on each background it is drawn on', () => {
      expect(failures(theme, TEXT, 4.5)).toEqual([]);
    });

    it('the focus ring and file icons reach 3:1 against their surroundings', () => {
      expect(failures(theme, NON_TEXT, 3)).toEqual([]);
    });
  });
});
