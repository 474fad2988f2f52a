import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository's own launcher, the one developers run: the test starts exactly that topology.
const SCRIPT = fileURLToPath(new URL('../../../../scripts/cluster.sh', import.meta.url));

/** One server process of the cluster, as `scripts/cluster.sh` records it in DIR/cluster.json. */
export interface ClusterServer {
  name: string;
  pid: number;
  port: number;
  /** Direct address of this instance, bypassing nginx. */
  url: string;
  log: string;
}

/** DIR/cluster.json. */
export interface ClusterState {
  /** nginx: the address clients use. */
  url: string;
  dir: string;
  nginx: { pid: number; port: number; log: string };
  servers: ClusterServer[];
  redis: { pid: number; port: number; url: string };
  mongodb: { pid: number | null; managed: boolean; url: string };
}

export interface RunningCluster extends ClusterState {
  /** SIGKILLs one server process (a crash: no goodbye to clients, Redis or MongoDB) and waits until it is gone. */
  crash(server: ClusterServer): Promise<void>;
  /** Stops everything the script started and deletes its folder; safe to call twice. */
  stop(): Promise<void>;
}

function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(SCRIPT, args, { env: { ...process.env, ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scripts/cluster.sh ${args.join(' ')} failed: ${err.message}\n${stderr.trim()}`));
      else resolve(stdout.trim());
    });
  });
}

/** Whether the process exists and is not a zombie (an orphan waiting for init to reap it). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return !/^\d+ \(.*\) Z/.test(stat);
}

/**
 * Starts nginx, the servers and Redis with `scripts/cluster.sh start` in a folder of its own.
 * `env` reaches the script and the servers (MONGODB_URL, CLUSTER_SERVERS, server settings).
 * A failed start leaves nothing running: the script stops what it started.
 */
export async function startCluster(env: Record<string, string> = {}): Promise<RunningCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'confab-cluster-test-'));
  let state: ClusterState;
  try {
    // Plain HTTP: these tests are about the servers and nginx; TLS has its own (tls.test.ts).
    const url = await run(['start', dir], { LOG_LEVEL: 'warn', CLUSTER_TLS: 'off', ...env }, 180_000);
    state = JSON.parse(await readFile(join(dir, 'cluster.json'), 'utf8')) as ClusterState;
    if (state.url !== url) throw new Error(`cluster.sh printed ${url} but cluster.json says ${state.url}`);
  } catch (err) {
    await run(['stop', dir], {}, 60_000).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    ...state,
    async crash(server) {
      process.kill(server.pid, 'SIGKILL');
      const deadline = Date.now() + 5_000;
      while (await isAlive(server.pid)) {
        if (Date.now() > deadline) throw new Error(`${server.name} (pid ${server.pid}) survived SIGKILL`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop() {
      stopped ??= (async () => {
        try {
          await run(['stop', dir], {}, 60_000);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
}
