import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../bench/options.js';
import type { ScenarioResult } from '../bench/report/result.js';
import { mongoUrl } from './support/mongo.js';

// The benchmark suite at its smoke size: every scenario runs against Confab and the bare server
// and delivers everything. Nothing here looks at how fast anything was.

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBench(args: string[], env: Record<string, string | undefined>): Promise<BenchRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'bench/index.ts', ...args], { cwd: SERVER_DIR, env: { ...process.env, ...env }, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

async function readResults(file: string): Promise<ScenarioResult[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { results: ScenarioResult[] }).results;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confab-bench-smoke-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pnpm bench --smoke', () => {
  it('runs every scenario against Confab and bare Socket.IO, and every message, connection and catch-up completes', async () => {
    const json = join(dir, 'smoke.json');
    const run = await runBench(['--smoke', '--json', json], { MONGODB_URL: mongoUrl() });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const results = await readResults(json);
    expect(results.map((result) => result.scenario)).toEqual([...SCENARIOS]);
    for (const result of results) {
      expect(result.error, `${result.scenario} failed`).toBeUndefined();
      expect(result.skipped, `${result.scenario} skipped`).toBeUndefined();
      expect(result.cases.length, result.scenario).toBeGreaterThan(0);
      for (const row of result.cases) {
        const where = `${result.scenario}: ${row.name}`;
        expect(row.problems, where).toEqual([]);
        expect(row.complete, where).toBe(true);
        for (const target of ['bare', 'confab'] as const) {
          const measured = Object.values(row[target]).filter((value) => typeof value === 'number' && Number.isFinite(value));
          expect(measured.length, `${where}: ${target} has figures`).toBeGreaterThan(0);
        }
      }
    }
    const deliveries = results.flatMap((result) => result.cases.flatMap((row) => [row.bare.deliveredPct, row.confab.deliveredPct])).filter((value) => value !== undefined);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(new Set(deliveries)).toEqual(new Set([100]));
    const reconnect = results.find((result) => result.scenario === 'reconnect')!.cases[0]!;
    expect([reconnect.bare.lost, reconnect.confab.lost]).toEqual([0, 0]);
    // The table is printed with both columns and their ratio.
    expect(run.stdout).toMatch(/\| scenario +\| case +\| figure +\| bare Socket\.IO \| +Confab \| Confab \/ bare \|/);
  }, 180_000);

  it('says why the database scenario did not run when there is no database to run it on', async () => {
    const json = join(dir, 'nodb.json');
    const run = await runBench(['--smoke', '--only', 'db', '--json', json], { MONGODB_URL: '' });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const [db] = await readResults(json);
    expect(db?.skipped).toMatch(/MONGODB_URL/);
    expect(run.stdout).toContain(db!.skipped!);
  }, 60_000);
});
