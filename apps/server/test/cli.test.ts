import type { AuditEntryDto, MessagePage } from '@confab/shared';
import { createClient } from 'redis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR } from '../src/services/admin/auditLog.js';
import type { Stores } from '../src/store/ports.js';
import { startServer, type RunningServer } from '../src/testing.js';
import { REVOCATION_STREAM } from '../src/scaleout/revocationFeed.js';
import { connectError, disconnected, eventually, lobbyClient, postJson, registerUser, request, type TestUser } from './support/client.js';
import { lastLine, runCli, withDatabase } from './support/cliProcess.js';
import { dropDatabase, mongoUrl, openTestStores, snapshotDatabase, testDatabaseName } from './support/mongo.js';
import { useRedisServer } from './support/redisServer.js';
import { createChannel, ok, openTab, say } from './support/roomClients.js';

// The operator command line run as a child process (`node --import tsx src/cli/index.ts`, what
// `pnpm confab` runs) against FerretDB, beside a real server on the same database.

// Each command line is a Node process compiling TypeScript and opening the database: seconds each.
const TIMEOUT = { timeout: 180_000 };
const PASSWORD = 'correct horse battery';
const SECRET = 'cli-test-session-secret-0123456789abcdef';
const redis = useRedisServer();

let dbName: string;
let cliEnv: Record<string, string>;
let stores: Stores;
let servers: RunningServer[];
const opened: { disconnect(): unknown }[] = [];

beforeEach(async () => {
  dbName = testDatabaseName('cli');
  cliEnv = { MONGODB_URL: withDatabase(mongoUrl(), dbName) };
  stores = await openTestStores(dbName);
  servers = [];
});

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.disconnect();
  for (const server of servers) await server.close();
  await stores.close();
  await dropDatabase(dbName);
});

async function startOnDatabase(options: { redisUrl?: string } = {}): Promise<RunningServer> {
  const server = await startServer({ stores, config: { sessionSecret: SECRET }, ...options });
  servers.push(server);
  return server;
}

function signIn(server: RunningServer, username: string, password: string) {
  return postJson(server.url, '/api/auth/login', { username, password });
}

async function me(server: RunningServer, cookie: string) {
  const res = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as { user: { username: string; role?: string; displayName: string } }) : undefined };
}

async function cookieOf(server: RunningServer, username: string, password: string): Promise<string> {
  const res = await signIn(server, username, password);
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.startsWith('confab_session='))!.split(';')[0]!;
}

async function operatorEntries(): Promise<Pick<AuditEntryDto, 'action' | 'actor' | 'target' | 'details'>[]> {
  const records = await stores.audit.list({ limit: 50 });
  return records.filter((r) => r.actor.id === OPERATOR.id).map(({ action, actor, target, details }) => ({ action, actor, target, ...(details ? { details } : {}) }));
}

describe('pnpm confab create-admin', () => {
  it('creates an admin who signs in over HTTP with the password printed once, takes the first-account place, and is audited as the operator', TIMEOUT, async () => {
    const server = await startOnDatabase();

    const run = await runCli(['create-admin', 'root', '--display-name', 'Root Admin'], { env: cliEnv });

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const password = lastLine(run.stdout);
    expect(password).toHaveLength(24);
    const cookie = await cookieOf(server, 'root', password);
    expect(await me(server, cookie)).toEqual({ status: 200, body: { user: expect.objectContaining({ username: 'root', displayName: 'Root Admin', role: 'admin' }) } });
    // A fresh server's first registration would be its admin: the account made here took that place.
    const next = await registerUser(server.url);
    expect(await me(server, next.cookie)).toMatchObject({ status: 200, body: { user: { role: 'member' } } });
    expect(await operatorEntries()).toEqual([{ action: 'user.create', actor: OPERATOR, target: { kind: 'user', id: expect.any(String), label: 'root' }, details: { role: 'admin' } }]);

    // Again: nothing to do, nothing changed, the password still the one printed.
    const again = await runCli(['create-admin', 'ROOT'], { env: cliEnv });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('root (Root Admin) is already an admin.');
    expect((await signIn(server, 'root', password)).status).toBe(200);
    expect(await operatorEntries()).toHaveLength(1);
  });

  it('promotes an existing member without touching their password, and takes a new account\'s password from stdin without printing it', TIMEOUT, async () => {
    const server = await startOnDatabase();
    await registerUser(server.url); // the first account: an admin of its own
    const bob = await registerUser(server.url, { password: PASSWORD });
    expect(await me(server, bob.cookie)).toMatchObject({ status: 200, body: { user: { role: 'member' } } });

    const promoted = await runCli(['create-admin', bob.user.username], { env: cliEnv });
    const piped = 'a passphrase piped in';
    const created = await runCli(['create-admin', 'carol', '--password-stdin'], { env: cliEnv, stdin: `${piped}\n` });

    expect(promoted).toMatchObject({ code: 0, stdout: `${bob.user.username} is now an admin.\n` });
    expect((await me(server, await cookieOf(server, bob.user.username, PASSWORD))).body?.user.role).toBe('admin');
    expect(created.code).toBe(0);
    expect(created.stdout).not.toContain(piped);
    expect((await me(server, await cookieOf(server, 'carol', piped))).body?.user.role).toBe('admin');
    expect((await operatorEntries()).map((e) => [e.action, e.target.label, e.details])).toEqual([
      ['user.create', 'carol', { role: 'admin' }],
      ['user.role', bob.user.username, { role: 'admin' }],
    ]);
  });
});

describe('pnpm confab reset-password', () => {
  it('sets the password from stdin: the old one fails, the new one signs in, and every existing session is refused', TIMEOUT, async () => {
    const server = await startOnDatabase();
    const alice = await registerUser(server.url, { password: PASSWORD });
    const otherDevice = await cookieOf(server, alice.user.username, PASSWORD);
    const newPassword = 'the operator set this one';

    const run = await runCli(['reset-password', alice.user.username.toUpperCase(), '--password-stdin'], { env: cliEnv, stdin: newPassword });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Ended 2 sessions of ${alice.user.username}.`);
    expect(run.stdout).not.toContain(newPassword);
    expect((await signIn(server, alice.user.username, PASSWORD)).status).toBe(401);
    expect((await signIn(server, alice.user.username, newPassword)).status).toBe(200);
    for (const cookie of [alice.cookie, otherDevice]) expect((await me(server, cookie)).status).toBe(401);
    expect(await operatorEntries()).toEqual([{ action: 'user.password_reset', actor: OPERATOR, target: { kind: 'user', id: alice.user.id, label: alice.user.username } }]);
  });

  it('with REDIS_URL closes the user\'s open connections on every instance at once, records the end in the revocation feed, and announces a deactivation', TIMEOUT, async () => {
    const a = await startOnDatabase({ redisUrl: redis.url });
    const b = await startOnDatabase({ redisUrl: redis.url });
    const alice = await registerUser(a.url, { password: PASSWORD });
    const bob = await registerUser(a.url, { password: PASSWORD });
    const tabOnA = await openTab(a.url, alice, opened);
    const tabOnB = await openTab(b.url, alice, opened);
    const bobTab = await openTab(b.url, bob, opened);
    await ok(request(bobTab.lobby, 'message:send', { clientId: 'before-deactivation', body: 'still here' }));
    const gone = [tabOnA.lobby, tabOnA.dm, tabOnB.lobby, tabOnB.dm].map(disconnected);
    const startedAt = Date.now();

    const run = await runCli(['reset-password', alice.user.username], { env: { ...cliEnv, REDIS_URL: redis.url } });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Their open connections were closed on every instance.');
    expect(await Promise.all(gone)).toEqual(Array(4).fill('io server disconnect'));
    // Well before SESSION_RECHECK_SECONDS: the adapter's broadcast, not the feed's next read.
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    const again = lobbyClient(b.url, { cookie: alice.cookie });
    opened.push(again);
    expect((await connectError(again)).data?.code).toBe('unauthorized');
    const aliceNow: TestUser = { user: alice.user, cookie: await cookieOf(b, alice.user.username, lastLine(run.stdout)) };
    expect(bobTab.lobby.connected && bobTab.dm.connected).toBe(true);
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const newest = (await client.xRevRange(REVOCATION_STREAM, '+', '-', { COUNT: 1 }))?.[0];
      expect(newest?.message).toMatchObject({ user: alice.user.id });
    } finally {
      await client.close();
    }

    // A deactivation: Bob's sockets close, and instance A marks his messages at once (users:changed), not at its 30 s resync.
    const aliceTab = await openTab(a.url, aliceNow, opened);
    const bobGone = [bobTab.lobby, bobTab.dm].map(disconnected);
    const deactivated = await runCli(['deactivate', bob.user.username], { env: { ...cliEnv, REDIS_URL: redis.url } });
    expect(deactivated.code).toBe(0);
    expect(await Promise.all(bobGone)).toEqual(['io server disconnect', 'io server disconnect']);
    await eventually(async () => {
      const page = await ok(request<MessagePage>(aliceTab.lobby, 'message:history', { limit: 10 }));
      expect(page.messages.find((m) => m.body === 'still here')?.author).toEqual({ id: bob.user.id, name: bob.user.displayName, deactivated: true });
    }, 5_000);
  });
});

describe('pnpm confab deactivate and reactivate', () => {
  it('deactivation refuses sign-in and ends every session, reactivation lets the user back, and the last active admin is never deactivated', TIMEOUT, async () => {
    const server = await startOnDatabase();
    const created = await runCli(['create-admin', 'root', '--password-stdin'], { env: cliEnv, stdin: PASSWORD });
    expect(created.code).toBe(0);
    const bob: TestUser = await registerUser(server.url, { password: PASSWORD });

    const deactivated = await runCli(['deactivate', bob.user.username], { env: cliEnv });

    expect(deactivated.code).toBe(0);
    expect(deactivated.stdout).toContain(`Deactivated ${bob.user.username}`);
    const refused = await signIn(server, bob.user.username, PASSWORD);
    expect([refused.status, refused.body?.error?.code]).toEqual([403, 'account_deactivated']);
    // The old cookie is a genuine token of a deactivated account: /me says so (403), not merely 401.
    const stale = await me(server, bob.cookie);
    expect(stale.status).toBe(403);

    const lastAdmin = await runCli(['deactivate', 'root'], { env: cliEnv });
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toContain('at least one active admin');
    expect((await signIn(server, 'root', PASSWORD)).status).toBe(200);

    const reactivated = await runCli(['reactivate', bob.user.username], { env: cliEnv });
    expect(reactivated.code).toBe(0);
    expect((await signIn(server, bob.user.username, PASSWORD)).status).toBe(200);
    expect((await operatorEntries()).map((e) => [e.action, e.target.label])).toEqual([
      ['user.reactivate', bob.user.username],
      ['user.deactivate', bob.user.username],
      ['user.create', 'root'],
    ]);
  });
});

describe('pnpm confab status', () => {
  it('prints the database, the user, room and message counts and the settings in force', TIMEOUT, async () => {
    const server = await startOnDatabase();
    const made = await runCli(['create-admin', 'root'], { env: cliEnv });
    expect(made.code).toBe(0);
    const bob = await registerUser(server.url);
    const carol = await registerUser(server.url);
    await stores.users.setDeactivated(carol.user.id, { deactivatedAt: new Date() });
    const tab = await openTab(server.url, bob, opened);
    const channel = await createChannel(tab, 'general');
    await say(tab, channel, 'hello');
    await say(tab, channel, 'anyone?');
    // An admin's 0.04 MB and a 1.5-minute edit window: named as the server's refusals name them.
    await stores.settings.update({ registration: 'closed', serverName: 'Team chat', uploadMaxBytes: 41_943, uploadQuotaBytes: 1500, editWindowMs: 90_500 });
    const entries = (await snapshotDatabase(dbName)).messages?.length;

    const run = await runCli(['status'], { env: cliEnv });

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.split('\n').map((line) => line.replace(/\s+/g, ' '));
    expect(lines).toContain(`database: mongodb at ${withDatabase(mongoUrl(), dbName)}: reachable`);
    expect(lines).toContain('users: 3 (1 active admin, 1 deactivated)');
    expect(lines).toContain('rooms: about 1 channel or group, about 0 direct conversations');
    expect(lines).toContain(`messages: about ${entries} stream entries (messages, edits, reactions, recalls, room events)`);
    expect(lines).toContain('registration: closed (saved by an admin; REGISTRATION gives open)');
    expect(lines).toContain('serverName: Team chat (saved by an admin; SERVER_NAME gives Confab)');
    expect(lines).toContain('recallWindowMs: 2 minutes (RECALL_WINDOW_SECONDS)');
    expect(lines).toContain('editWindowMs: 1 minute and 30 seconds (saved by an admin; EDIT_WINDOW_MINUTES gives no limit)');
    expect(lines).toContain('uploadMaxBytes: 40.9 kB (saved by an admin; UPLOAD_MAX_MB gives 25 MB)');
    expect(lines).toContain('uploadQuotaBytes: 1.46 kB (saved by an admin; UPLOAD_QUOTA_MB gives 1 GB)');
    // No embedded store's lock to read where a server listens: the port is this environment's.
    expect(lines[0]).toBe('environment: test (PORT from this environment: 3000)');
    expect(lines).toContain('redis: not configured (REDIS_URL is not set: one instance)');
  });

  it('exits 1 and says so when the database or Redis does not answer', TIMEOUT, async () => {
    const run = await runCli(['status'], {
      env: { MONGODB_URL: 'mongodb://127.0.0.1:9/confab', MONGODB_CONNECT_TIMEOUT_MS: '300', MONGODB_SERVER_SELECTION_TIMEOUT_MS: '200', REDIS_URL: 'redis://127.0.0.1:9' },
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^database:\s+mongodb at mongodb:\/\/127\.0\.0\.1:9\/confab: UNREACHABLE \(/m);
    expect(run.stdout).toMatch(/^redis:\s+redis:\/\/127\.0\.0\.1:9: UNREACHABLE \(/m);
  });
});

describe('bad command lines', () => {
  it('exit 2 with the usage, an unknown user exits 1 saying so, and neither changes anything', TIMEOUT, async () => {
    const server = await startOnDatabase();
    const alice = await registerUser(server.url, { password: PASSWORD });
    const before = await snapshotDatabase(dbName);

    const usage = await Promise.all([
      runCli([], { env: cliEnv }),
      runCli(['frobnicate'], { env: cliEnv }),
      runCli(['reset-password'], { env: cliEnv }),
      runCli(['deactivate', alice.user.username, 'extra'], { env: cliEnv }),
      runCli(['create-admin', 'dave', '--pasword-stdin'], { env: cliEnv }),
      runCli(['create-admin', 'no spaces!'], { env: cliEnv }),
      runCli(['reset-password', alice.user.username, '--password-stdin'], { env: cliEnv, stdin: 'short\n' }),
      runCli(['frobnicate'], { env: cliEnv, via: 'script' }),
    ]);
    const missing = await Promise.all([runCli(['reset-password', 'ghost'], { env: cliEnv }), runCli(['reactivate', 'ghost'], { env: cliEnv })]);

    expect(usage.map((r) => r.code)).toEqual(Array(usage.length).fill(2));
    expect(usage.map((r) => r.stdout)).toEqual(Array(usage.length).fill(''));
    expect(usage[0]!.stderr).toContain('Usage: pnpm confab <command>');
    expect(usage[1]!.stderr).toMatch(/^confab: unknown command "frobnicate"\n\nUsage: pnpm confab <command>/);
    expect(usage[2]!.stderr).toContain('confab: reset-password: name the username\n\nUsage: pnpm confab reset-password <username> [--password-stdin]');
    expect(usage[3]!.stderr).toContain('unexpected argument "extra"');
    expect(usage[4]!.stderr).toContain("Unknown option '--pasword-stdin'");
    expect(usage[5]!.stderr).toBe('confab: username may hold only letters, digits, ".", "_" and "-"\n');
    expect(usage[6]!.stderr).toBe('confab: the password on stdin is refused: password must be at least 8 characters\n');
    expect(usage[7]!.stderr).toMatch(/^confab: unknown command "frobnicate"/);
    expect(missing.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [1, '', 'confab: There is no user named "ghost".\n'],
      [1, '', 'confab: There is no user named "ghost".\n'],
    ]);
    expect(await snapshotDatabase(dbName)).toEqual(before);
    expect((await signIn(server, alice.user.username, PASSWORD)).status).toBe(200);
  });

  it('help lists every command, through pnpm confab\'s script too', TIMEOUT, async () => {
    const [direct, viaScript] = await Promise.all([runCli(['help']), runCli(['help', 'create-admin'], { via: 'script' })]);

    expect(direct.code).toBe(0);
    for (const command of ['create-admin', 'reset-password', 'deactivate', 'reactivate', 'status', 'help']) expect(direct.stdout).toContain(`\n  ${command}`);
    expect(viaScript).toMatchObject({ code: 0, stderr: '' });
    expect(viaScript.stdout).toContain('Usage: pnpm confab create-admin <username> [--display-name NAME] [--password-stdin]');
  });
});
