#!/usr/bin/env node
// Start-up time and idle memory of the server, run from TypeScript through tsx and compiled
// (apps/server/dist, `pnpm --filter @confab/server build` first), as docs/operations.md reports them:
//
//   node scripts/measure-startup.mjs [RUNS]     (default 7 runs of each way)
//
// Each run starts a fresh process (NODE_ENV=production, the embedded store, no Redis, a port of
// its own) and measures, from just before the spawn:
//   listening  until the server logs "Confab is listening"
//   ready      until GET /readyz first answers 200 (polled every 5 ms from then on)
//   CPU        processor time the process and its children (tsx's esbuild) used until ready:
//              what start-up costs, which other work on a shared machine does not stretch
//   idle RSS   resident memory (VmRSS) 5 s after ready, with no client connected
// The ways take turns run by run, so a busy moment on the machine hits them alike. tsx keeps
// what it compiled in a cache under the temporary folder: "warm" reuses one (every start after
// the first on a machine), "cold" gets an empty one each run (the first start).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../apps/server/', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
if (!existsSync(join(serverDir, 'dist', 'index.js'))) {
  console.error('apps/server/dist/index.js is missing: run `pnpm --filter @confab/server build` first');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'confab-startup-'));
const web = join(work, 'web');
mkdirSync(web);
writeFileSync(join(web, 'index.html'), '<!doctype html>\n');
const warmTsxCache = join(work, 'tsx-warm');
mkdirSync(warmTsxCache);

const WAYS = [
  { name: 'tsx, warm cache (node --import tsx src/index.ts)', args: ['--import', 'tsx', 'src/index.ts'], tmp: () => warmTsxCache },
  { name: 'tsx, cold cache', args: ['--import', 'tsx', 'src/index.ts'], tmp: () => mkdtempSync(join(work, 'tsx-cold-')) },
  { name: 'compiled (node --enable-source-maps dist/index.js)', args: ['--enable-source-maps', 'dist/index.js'], tmp: () => work },
  { name: 'compiled, no source maps (node dist/index.js)', args: ['dist/index.js'], tmp: () => work },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// /proc/PID/stat counts in clock ticks; 100 a second on Linux.
const TICK_MS = 10;

/** User and system CPU time of a process and its descendants so far, in ms. */
function cpuMs(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the
  // 14th field of the line, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  const children = readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    } catch {
      return [];
    }
  });
  return own + children.reduce((sum, child) => sum + cpuMs(child), 0);
}

async function measure(way) {
  const started = performance.now();
  const child = spawn(process.execPath, way.args, {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH,
      TMPDIR: way.tmp(),
      NODE_ENV: 'production',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_PRETTY: 'false',
      LOG_LEVEL: 'info',
      DATA_DIR: join(work, 'data'),
      WEB_DIST: web,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { port, listening } = await new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        if (line.includes('Confab is listening')) resolve({ port: JSON.parse(line).port, listening: performance.now() - started });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
  });
  let ready;
  while (ready === undefined) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (res?.ok) ready = performance.now() - started;
    else await sleep(5);
  }
  const cpu = cpuMs(child.pid);
  await sleep(5_000);
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKiB = Number(status.split('\n').find((line) => line.startsWith('VmRSS:')).split(/\s+/)[1]);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return { listening, ready, cpu, rssMiB: rssKiB / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = new Map(WAYS.map((way) => [way.name, []]));
try {
  // One start of each way first, not counted: it fills the warm tsx cache and the OS file cache.
  for (const way of WAYS) await measure(way);
  for (let run = 1; run <= runs; run += 1) {
    for (const way of WAYS) results.get(way.name).push(await measure(way));
    process.stderr.write(`run ${run}/${runs} done\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`Node ${process.version}, ${runs} runs each, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);
console.log('| way | listening, median (min–max) | /readyz 200, median (min–max) | CPU until ready, median (min–max) | idle RSS, median (min–max) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, rows] of results) {
  const cell = (key, unit, digits) => {
    const values = rows.map((row) => row[key]);
    return `${median(values).toFixed(digits)} ${unit} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
  };
  console.log(`| ${name} | ${cell('listening', 'ms', 0)} | ${cell('ready', 'ms', 0)} | ${cell('cpu', 'ms', 0)} | ${cell('rssMiB', 'MiB', 1)} |`);
}
