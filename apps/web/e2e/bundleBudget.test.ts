import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { INITIAL_JS_GZIP_BUDGET, budgetReport, bundleBudget, type BundleChunk, type BundleOutput } from '../scripts/bundleBudget.ts';
import { WEB_DIST } from './support/paths';

// Issue #18, item 7: the JavaScript index.html loads stays under 100 kB gzip, and the build says so
// (or fails). scripts/bundleBudget.ts is a Vite plugin in vite.config.ts, so every build checks it,
// the one this project's browser tests run on (globalSetup) included.

/** Random text: it barely compresses, so its gzip size is close to its length. */
const incompressible = (bytes: number) => randomBytes(bytes).toString('base64').slice(0, bytes);

function chunk(fileName: string, code: string, links: Partial<Pick<BundleChunk, 'isEntry' | 'facadeModuleId' | 'imports'>> = {}): BundleChunk {
  return { type: 'chunk', fileName, code, isEntry: false, facadeModuleId: null, imports: [], ...links };
}

describe('the initial JavaScript budget', () => {
  it('counts the entry index.html loads and its static imports, not what loads on demand', () => {
    const bundle: BundleOutput = {
      'assets/index.js': chunk('assets/index.js', incompressible(30_000), { isEntry: true, facadeModuleId: '/app/index.html', imports: ['assets/vendor.js'] }),
      'assets/vendor.js': chunk('assets/vendor.js', incompressible(30_000), { imports: ['assets/shared.js'] }),
      'assets/shared.js': chunk('assets/shared.js', incompressible(5_000)),
      'assets/lazy.js': chunk('assets/lazy.js', incompressible(500_000), { imports: ['assets/shared.js'] }),
      'assets/index.css': { type: 'asset', fileName: 'assets/index.css' },
    };
    const report = budgetReport(bundle, INITIAL_JS_GZIP_BUDGET);
    expect(report.initial.map((c) => c.fileName).sort()).toEqual(['assets/index.js', 'assets/shared.js', 'assets/vendor.js']);
    expect(report.lazy.map((c) => c.fileName)).toEqual(['assets/lazy.js']);
    expect(report.total.raw).toBe(65_000);
    expect(report.total.gzip).toBeGreaterThan(45_000);
    expect(report.overBudget).toBe(false);

    // The same chunks over a budget they exceed, and a lazy chunk that becomes a static import.
    expect(budgetReport(bundle, 40_000).overBudget).toBe(true);
    bundle['assets/vendor.js'] = { ...(bundle['assets/vendor.js'] as BundleChunk), imports: ['assets/shared.js', 'assets/lazy.js'] };
    expect(budgetReport(bundle, INITIAL_JS_GZIP_BUDGET).overBudget).toBe(true);
  });

  it('counts a first screen as the initial chunks plus the lazy chunks it waits for, and fails one whose module is no chunk', () => {
    const bundle: BundleOutput = {
      'assets/index.js': chunk('assets/index.js', incompressible(20_000), { isEntry: true, facadeModuleId: '/app/index.html' }),
      'assets/SignIn.js': chunk('assets/SignIn.js', incompressible(10_000), { facadeModuleId: '/app/src/views/SignInView.vue', imports: ['assets/forms.js'] }),
      'assets/forms.js': chunk('assets/forms.js', incompressible(10_000)),
      'assets/live.js': chunk('assets/live.js', incompressible(80_000), { facadeModuleId: '/app/src/services/live.ts', imports: ['assets/forms.js'] }),
    };
    const signIn = { name: 'sign-in', modules: [/\/views\/SignInView\.vue$/], budget: 50_000 };
    const chat = { name: 'chat', modules: [/\/services\/live\.ts$/], budget: 60_000 };
    const report = budgetReport(bundle, INITIAL_JS_GZIP_BUDGET, [signIn, chat]);
    // index + SignIn + forms (once, although live imports it too).
    expect(report.screens[0]).toMatchObject({ name: 'sign-in', raw: 40_000, missing: [], overBudget: false });
    expect(report.screens[1]).toMatchObject({ name: 'chat', raw: 110_000, overBudget: true });
    expect(report.overBudget).toBe(true);
    expect(budgetReport(bundle, INITIAL_JS_GZIP_BUDGET, [signIn]).overBudget).toBe(false);
    // Renamed away: the screen is not silently skipped.
    const gone = budgetReport(bundle, INITIAL_JS_GZIP_BUDGET, [{ ...signIn, modules: [/\/views\/LoginView\.vue$/] }]);
    expect(gone.screens[0]!.missing).toEqual(['/\\/views\\/LoginView\\.vue$/']);
    expect(gone.overBudget).toBe(true);
  });

  describe('as a Vite plugin', () => {
    let root: string | undefined;
    afterEach(() => {
      if (root) rmSync(root, { recursive: true, force: true });
      root = undefined;
    });

    /** Builds a page whose entry carries `entryBytes` of incompressible text, and `lazyBytes` behind an import(). */
    function buildPage(budget: number, entryBytes: number, lazyBytes: number) {
      root = mkdtempSync(join(tmpdir(), 'confab-budget-'));
      writeFileSync(join(root, 'index.html'), '<!doctype html><html><body><script type="module" src="/main.js"></script></body></html>');
      writeFileSync(join(root, 'main.js'), `console.log(${JSON.stringify(incompressible(entryBytes))});\nimport('./lazy.js').then((m) => console.log(m.text.length));\n`);
      writeFileSync(join(root, 'lazy.js'), `export const text = ${JSON.stringify(incompressible(lazyBytes))};\n`);
      return build({ root, configFile: false, logLevel: 'silent', plugins: [bundleBudget(budget)], build: { write: false, minify: false } });
    }

    it('fails the build when the initial JavaScript is over the budget, naming the sizes', async () => {
      await expect(buildPage(20_000, 30_000, 1_000)).rejects.toThrow(/initial JavaScript is [\d.]+ kB gzip, over the 20\.00 kB budget/);
    });

    it('passes a build that is under it, however large what loads on demand is', async () => {
      await expect(buildPage(20_000, 5_000, 200_000)).resolves.toBeDefined();
    });
  });

  it('holds for this build, and every initial chunk has the precompressed copies the servers send', () => {
    // globalSetup built the app with vite.config.ts, so its plugin already failed the run if over budget.
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]*src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    let gzipTotal = 0;
    for (const file of [entry!, ...preloads]) {
      const path = join(WEB_DIST, file);
      expect(existsSync(`${path}.br`), file).toBe(true);
      const gz = readFileSync(`${path}.gz`);
      expect(gunzipSync(gz).equals(readFileSync(path)), file).toBe(true);
      gzipTotal += gz.byteLength;
    }
    expect(gzipTotal).toBeLessThanOrEqual(INITIAL_JS_GZIP_BUDGET);
    expect(existsSync(join(WEB_DIST, 'index.html.gz'))).toBe(true);
  });
});
