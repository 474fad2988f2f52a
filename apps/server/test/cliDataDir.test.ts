import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { status } from '../src/cli/commands/status.js';
import { readConfig } from '../src/cli/context.js';
import { takeStoreLock } from '../src/store/memory/storeLock.js';
import { eventually, postJson, registerUser } from './support/client.js';
import { runCli, SERVER_DIR } from './support/cliProcess.js';
import { startServerProcess, type ServerProcess } from './support/serverProcess.js';

// The command line on the embedded store (no MONGODB_URL, NODE_ENV=development), beside real
// server processes: the store's lock in DATA_DIR, and a DATA_DIR that holds no Confab data.

// Each command line and server is a Node process compiling TypeScript: seconds each.
const TIMEOUT = { timeout: 180_000 };
const PASSWORD = 'correct horse battery';
const SECRET = 'cli-data-dir-session-secret-0123456789abcdef';

let root: string;
let dataDir: string;
let storeFile: string;
let lockFile: string;
let env: Record<string, string>;
const servers: ServerProcess[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'confab-cli-data-'));
  dataDir = join(root, 'data');
  storeFile = join(dataDir, 'store.json');
  lockFile = `${storeFile}.lock`;
  // No PORT: the command line looks for the server at the default port, never the one it listens on.
  env = { NODE_ENV: 'development', DATA_DIR: dataDir, SESSION_SECRET: SECRET, WEB_DIST: '/nonexistent' };
});

afterEach(() => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  }
  rmSync(root, { recursive: true, force: true });
});

async function startEmbedded(): Promise<ServerProcess> {
  // Longer than the default: beside the command lines of a test, compiling takes a while on a busy machine.
  const server = await startServerProcess(['--import', 'tsx', 'src/index.ts'], SERVER_DIR, env, 60_000);
  servers.push(server);
  return server;
}

async function killed(server: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

const signIn = (server: ServerProcess, username: string, password: string) => postJson(server.url, '/api/auth/login', { username, password });
const createRoot = () => runCli(['create-admin', 'root', '--password-stdin'], { env, stdin: PASSWORD });
/** The output's lines with their padding collapsed (`users:           1` becomes `users: 1`). */
const linesOf = (stdout: string) => stdout.split('\n').map((line) => line.replace(/\s+/g, ' '));
const lockHolder = () => JSON.parse(readFileSync(lockFile, 'utf8')) as { kind: string; pid: number; port: number };

describe('the embedded store\'s lock', () => {
  it('refuses a write while a server on another port holds the store, naming it, and refuses a second server; once it stopped the write goes through and the restarted server has it', TIMEOUT, async () => {
    const server = await startEmbedded();
    const { port } = new URL(server.url);
    const alice = await registerUser(server.url, { password: PASSWORD });
    await eventually(() => expect(readFileSync(storeFile, 'utf8')).toContain(alice.user.username), 5_000);
    const before = readFileSync(storeFile, 'utf8');

    const [refused, status, second] = await Promise.all([
      createRoot(),
      runCli(['status'], { env }),
      startEmbedded().then(
        () => 'started',
        (err: Error) => err.message,
      ),
    ]);

    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`confab: a Confab server (pid ${server.child.pid} listening on 127.0.0.1:${port}, since `);
    expect(refused.stderr).toContain(`holds the embedded store in ${storeFile}: it keeps the data in memory and would overwrite this change. Stop the server`);
    expect(refused.stderr).toContain('use MongoDB (MONGODB_URL)');
    expect(readFileSync(storeFile, 'utf8')).toBe(before);
    expect((await signIn(server, 'root', PASSWORD)).status).toBe(401);
    // Reading is allowed, and says whose memory the figures come from.
    expect(status.code).toBe(0);
    const inUse = linesOf(status.stdout).find((line) => line.startsWith('in use by: '));
    expect(inUse).toContain(`in use by: a Confab server (pid ${server.child.pid} listening on 127.0.0.1:${port}, since `);
    expect(inUse).toContain('): what follows is its last write to the file');
    expect(linesOf(status.stdout)).toContain('users: 1 (1 active admin, 0 deactivated)');
    // The command line's own PORT is the default, not the server's: the server's address is named.
    expect(linesOf(status.stdout)[0]).toBe(`environment: development; the server holding the store listens on 127.0.0.1:${port}`);
    expect(second).toContain('the server exited (1) before listening');
    expect(second).toContain(`a Confab server (pid ${server.child.pid} listening on 127.0.0.1:${port}`);
    expect(second).toContain(`holds the embedded store in ${storeFile}: two processes on one store would overwrite each other's changes`);
    expect((await signIn(server, alice.user.username, PASSWORD)).status).toBe(200);
    expect(lockHolder()).toMatchObject({ kind: 'server', pid: server.child.pid, port: Number(port) });

    expect(await server.stop()).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    const done = await createRoot();
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(lockFile)).toBe(false);

    const restarted = await startEmbedded();
    const res = await signIn(restarted, 'root', PASSWORD);
    expect([res.status, res.body?.user?.role]).toEqual([200, 'admin']);
    expect((await signIn(restarted, alice.user.username, PASSWORD)).status).toBe(200);
  });

  it('a lock left by a killed server is taken over by the next server, and by the command line', TIMEOUT, async () => {
    const crashed = await startEmbedded();
    await killed(crashed);
    expect(lockHolder().pid).toBe(crashed.child.pid);

    const next = await startEmbedded();
    expect(next.output()).toContain(`took over the embedded store's lock from a Confab server (pid ${crashed.child.pid} listening on 127.0.0.1:${new URL(crashed.url).port}`);
    expect(lockHolder()).toMatchObject({ kind: 'server', pid: next.child.pid, port: Number(new URL(next.url).port) });
    await killed(next);

    const done = await createRoot();

    expect(done.code).toBe(0);
    expect(done.stdout).toContain('Starting a new embedded store');
    expect(existsSync(lockFile)).toBe(false);
    const restarted = await startEmbedded();
    expect((await signIn(restarted, 'root', PASSWORD)).status).toBe(200);
  });
});

describe('a DATA_DIR without Confab data', () => {
  it('status on a store a live server holds but has not written yet says so and exits 0; once released, exits 1 as for no data', async () => {
    // In this process: the lock is the one a just-started server takes before its first change.
    mkdirSync(dataDir);
    const lock = takeStoreLock(storeFile, { kind: 'server', host: '127.0.0.1', port: 3001 });
    const config = readConfig(env);
    const run = async () => {
      const lines: string[] = [];
      const errors: string[] = [];
      const code = await status(config, { line: (text = '') => void lines.push(text), error: (text) => void errors.push(text) });
      return { code, lines: linesOf(lines.join('\n')), errors };
    };

    const held = await run();
    lock.release();
    const released = await run();

    expect(held.code).toBe(0);
    expect(held.errors).toEqual([]);
    expect(held.lines).toContain(`database: embedded store at ${storeFile}: not written yet`);
    expect(held.lines[0]).toBe('environment: development; the server holding the store listens on 127.0.0.1:3001');
    const inUse = held.lines.find((line) => line.startsWith('in use by: '));
    expect(inUse).toContain(`in use by: a Confab server (pid ${process.pid} listening on 127.0.0.1:3001, since `);
    expect(inUse?.endsWith(') (nothing written yet)')).toBe(true);
    expect(existsSync(storeFile)).toBe(false);
    expect(released.code).toBe(1);
    expect(released.lines).toContain(`database: embedded store at ${storeFile}: NONE`);
    expect(released.lines[0]).toBe(`environment: development (PORT from this environment: ${config.port})`);
    expect(released.errors).toEqual([`confab: no Confab data at ${storeFile}: check DATA_DIR (a server writes this file at its first change, such as the first account)`]);
  });


  it('status and every command exit 1 saying so, and create nothing; create-admin starts a store only in a folder that exists', TIMEOUT, async () => {
    const typo = join(root, 'dtaa');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    // Without SESSION_SECRET, as `pnpm confab` on a development checkout: the server would make a secret file.
    const at = (dir: string) => ({ env: { NODE_ENV: 'development', DATA_DIR: dir } });

    const [statusTypo, resetTypo, createTypo, statusEmpty, deactivateEmpty] = await Promise.all([
      runCli(['status'], at(typo)),
      runCli(['reset-password', 'alice'], at(typo)),
      runCli(['create-admin', 'root'], at(typo)),
      runCli(['status'], at(empty)),
      runCli(['deactivate', 'alice'], at(empty)),
    ]);

    expect(statusTypo.code).toBe(1);
    expect(linesOf(statusTypo.stdout)).toContain(`database: embedded store at ${join(typo, 'store.json')}: NONE`);
    expect(statusTypo.stderr).toBe(`confab: no Confab data at ${typo} (there is no such folder): check DATA_DIR\n`);
    expect([resetTypo.code, resetTypo.stdout, resetTypo.stderr]).toEqual([1, '', `confab: no Confab data at ${typo} (there is no such folder): check DATA_DIR\n`]);
    expect(createTypo.code).toBe(1);
    expect(createTypo.stderr).toContain('For a new install, create that folder first: create-admin starts a new store only in an existing DATA_DIR.');
    expect(existsSync(typo)).toBe(false);
    expect(statusEmpty.code).toBe(1);
    expect(statusEmpty.stderr).toContain(`confab: no Confab data at ${join(empty, 'store.json')}: check DATA_DIR`);
    expect(deactivateEmpty.code).toBe(1);
    expect(deactivateEmpty.stderr).toContain(`confab: no Confab data at ${join(empty, 'store.json')}: check DATA_DIR`);
    expect(readdirSync(empty)).toEqual([]);

    const created = await runCli(['create-admin', 'root', '--password-stdin'], { ...at(empty), stdin: PASSWORD });

    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain(`Starting a new embedded store in ${join(empty, 'store.json')}`);
    // The store and nothing else: no session secret, no files folder, no lock left behind.
    expect(readdirSync(empty)).toEqual(['store.json']);
    expect(readFileSync(join(empty, 'store.json'), 'utf8')).toContain('"username":"root"');
  });
});
