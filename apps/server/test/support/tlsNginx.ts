import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './redisProcess.js';

// nginx with TLS as scripts/cluster.sh runs it: scripts/lib/nginx-local.sh writes the setup
// around deploy/nginx/confab.conf and http-redirect.conf (the compose image's files), with a
// certificate made by scripts/make-self-signed-cert.sh.

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Makes a self-signed certificate with the repository's script; returns its folder. */
export function makeSelfSignedCert(dir: string): { dir: string; cert: Buffer; key: Buffer } {
  const made = spawnSync('bash', ['scripts/make-self-signed-cert.sh', dir], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
  if (made.status !== 0) throw new Error(`make-self-signed-cert.sh failed: ${made.stderr}`);
  return { dir, cert: readFileSync(join(dir, 'fullchain.pem')), key: readFileSync(join(dir, 'privkey.pem')) };
}

export interface TlsNginx {
  /** `https://127.0.0.1:<port>` */
  httpsUrl: string;
  /** `http://127.0.0.1:<port>`: plain HTTP, which redirects. */
  httpUrl: string;
  httpsPort: number;
  errorLog: string;
  stop(): Promise<void>;
}

function pidFileWritten(path: string, child: ChildProcess, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (existsSync(path) && readFileSync(path, 'utf8').trim()) resolve(true);
      else if (child.exitCode !== null || Date.now() > deadline) resolve(false);
      else setTimeout(check, 50);
    };
    check();
  });
}

/**
 * Starts nginx serving `webRoot` over HTTPS with the certificate in `certDir`, plain HTTP
 * redirecting to it, in front of `upstream` (`server 127.0.0.1:N;` lines). Free ports, retried
 * when another process takes one first.
 */
export async function startTlsNginx(work: string, webRoot: string, certDir: string, upstream: string): Promise<TlsNginx> {
  const conf = join(work, 'nginx');
  const logs = join(work, 'logs');
  const errorLog = join(logs, 'nginx-error.log');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const [httpsPort, httpPort] = [await freePort(), await freePort()];
    const written = spawnSync(
      'bash',
      ['-c', 'source scripts/lib/nginx-local.sh && write_local_nginx "$@" && find_nginx', 'write', conf, logs, `127.0.0.1:${httpsPort}`, webRoot, upstream, certDir, `127.0.0.1:${httpPort}`],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    if (written.status !== 0) throw new Error(`nginx-local.sh failed: ${written.stderr}`);
    const binary = written.stdout.trim().split('\n').pop()!;
    const pidFile = join(conf, 'nginx.pid');
    rmSync(pidFile, { force: true });
    const nginx = spawn(binary, ['-e', errorLog, '-c', join(conf, 'nginx.conf'), '-p', `${conf}/`], { stdio: 'ignore' });
    if (await pidFileWritten(pidFile, nginx, Date.now() + 10_000)) {
      return {
        httpsUrl: `https://127.0.0.1:${httpsPort}`,
        httpUrl: `http://127.0.0.1:${httpPort}`,
        httpsPort,
        errorLog,
        async stop() {
          if (nginx.exitCode !== null) return;
          const exited = new Promise((resolve) => nginx.once('exit', resolve));
          nginx.kill('SIGTERM');
          await exited;
        },
      };
    }
    nginx.kill('SIGKILL');
  }
  throw new Error(`nginx did not start: ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : 'no log'}`);
}
