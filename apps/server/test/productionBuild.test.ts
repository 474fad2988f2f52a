import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lobbySmokeTest } from './support/lobbySmoke.js';
import { startServerProcess, type ServerProcess } from './support/serverProcess.js';

// Issue #19, item 7: the server compiled to JavaScript (apps/server/build.mjs, esbuild) runs with
// plain node and production dependencies only, as in the Docker image's `runtime` stage, and
// passes the same lobby smoke test as the development server (tsx).

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(serverDir, '..', '..');
const packageJson = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

const execFileAsync = promisify(execFile);

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: { path: string; external?: boolean }[]; entryPoint?: string }>;
}

let work: string;
/** The runtime image's /app: the manifests, a production-only install and the compiled server. */
let runtime: string;
let metafile: Metafile;

async function run(command: string, args: string[], cwd: string, timeout = 60_000): Promise<string> {
  try {
    return (await execFileAsync(command, args, { cwd, encoding: 'utf8', timeout })).stdout;
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${(err as Error).message}\n${stderr ?? ''}${stdout ?? ''}`);
  }
}

beforeAll(async () => {
  // Outside the repository, so that nothing resolves from the development node_modules.
  work = mkdtempSync(join(tmpdir(), 'confab-production-build-'));
  runtime = join(work, 'app');
  // What the Dockerfile's runtime stage copies before `pnpm install --prod`.
  for (const file of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'packages/shared/package.json', 'apps/server/package.json']) {
    mkdirSync(dirname(join(runtime, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(runtime, file));
  }
  const pnpm = process.env.npm_execpath?.includes('pnpm') ? [process.execPath, process.env.npm_execpath] : ['pnpm'];
  const store = (await run(pnpm[0]!, [...pnpm.slice(1), 'store', 'path'], repoRoot)).trim();
  await Promise.all([
    // Offline, from this machine's store: `pnpm install` has put every package there.
    run(pnpm[0]!, [...pnpm.slice(1), 'install', '--frozen-lockfile', '--prod', '--filter', '@confab/server...', '--offline', '--store-dir', store], runtime),
    run(process.execPath, ['build.mjs', '--outdir', join(runtime, 'apps', 'server', 'dist')], serverDir, 30_000),
  ]);
  metafile = JSON.parse(readFileSync(join(runtime, 'apps', 'server', 'dist', 'meta.json'), 'utf8')) as Metafile;
}, 90_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('the production build', () => {
  it('bundles Confab\'s own code and @confab/shared, and imports nothing but Node built-ins and production dependencies', () => {
    const outputs = Object.entries(metafile.outputs).filter(([name]) => name.endsWith('.js'));
    expect(outputs.map(([, output]) => output.entryPoint)).toContain('src/index.ts');

    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.endsWith('packages/shared/src/index.ts'))).toBe(true);
    // Nothing from node_modules is bundled (native add-ons and pino's transports must not be).
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);

    const builtins = new Set(builtinModules);
    const production = new Set(Object.keys(packageJson.dependencies));
    const imported = new Set(outputs.flatMap(([, output]) => output.imports.filter((i) => i.external).map((i) => i.path)));
    const outside = [...imported].filter((path) => !path.startsWith('node:') && !builtins.has(path) && !production.has(packageName(path)));
    expect(outside, 'imports that a production install (pnpm install --prod) would not provide').toEqual([]);
    expect(imported).toContain('fastify');
    // What must never be needed at run time.
    expect(production.has('tsx')).toBe(false);
    expect(production.has('@confab/shared')).toBe(false);
    expect([...imported].filter((path) => path === 'tsx' || path.startsWith('@confab/'))).toEqual([]);
  });

  it('runs where a production-only install cannot even find tsx, esbuild or TypeScript', async () => {
    const probe = "Promise.allSettled(['tsx', 'esbuild', 'typescript', 'fastify'].map((p) => import(p))).then((r) => console.log(JSON.stringify(r.map((x) => x.status))))";
    const statuses = JSON.parse(await run(process.execPath, ['--input-type=module', '-e', probe], join(runtime, 'apps', 'server'))) as string[];
    expect(statuses).toEqual(['rejected', 'rejected', 'rejected', 'fulfilled']);
  });
});

const servers = [
  { name: 'the development server (node --import tsx src/index.ts, in the repository)', args: ['--import', 'tsx', 'src/index.ts'], cwd: () => serverDir },
  { name: 'the compiled server (node dist/index.js, production dependencies only)', args: ['--enable-source-maps', 'dist/index.js'], cwd: () => join(runtime, 'apps', 'server') },
];

describe.each(servers)('$name', ({ args, cwd }) => {
  let server: ServerProcess | undefined;
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(work, 'data-'));
  });

  afterAll(async () => {
    const code = await server?.stop();
    expect(code, server?.output()).toBe(0);
  }, 15_000);

  it('passes the lobby smoke test: sign up over HTTP, two clients in /lobby, a message sent, received once, in history', async () => {
    server = await startServerProcess(args, cwd(), {
      NODE_ENV: 'production',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      DATA_DIR: dataDir,
      WEB_DIST: join(dataDir, 'no-web-app'),
    });
    // What really runs: for the compiled server, node, its flag for source maps and the file; no loader.
    expect(server.argv.slice(1)).toEqual(args);
    await lobbySmokeTest(server.url);
  }, 30_000);
});
