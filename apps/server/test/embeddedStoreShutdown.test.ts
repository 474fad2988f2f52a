import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerUser } from './support/client.js';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
let dataDir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'confab-data-'));
});
afterEach(() => {
  if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `src/index.ts` as `pnpm start` would on embedded defaults; resolves with its port once it listens. */
function startProcess(logs: string[]): Promise<number> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_PRETTY: 'false', WEB_DIST: '/nonexistent' };
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: serverDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  return new Promise((resolve, reject) => {
    let buffered = '';
    started.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = JSON.parse(buffered.slice(0, end)) as { msg: string; port?: number };
        buffered = buffered.slice(end + 1);
        logs.push(line.msg);
        if (line.msg.startsWith('Confab is listening') && line.port) resolve(line.port);
      }
    });
    started.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    started.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${logs.join('\n')}`)));
  });
}

describe('the server process on embedded defaults', () => {
  it('says where it keeps its data, and on SIGTERM writes the last change before exiting', async () => {
    const logs: string[] = [];
    const port = await startProcess(logs);
    const storeFile = join(dataDir, 'store.json');
    expect(logs).toContain(`MONGODB_URL is not set: keeping accounts, sessions and history in ${storeFile} (for trying Confab; set MONGODB_URL for real use)`);
    expect(logs.join('\n')).not.toContain('NOT persisted');

    // Sent straight after the change, well inside the one-second write delay: only the shutdown path can write it.
    const { user } = await registerUser(`http://127.0.0.1:${port}`);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child!.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(readFileSync(storeFile, 'utf8')).toContain(`"username":"${user.username}"`);
  });
});
