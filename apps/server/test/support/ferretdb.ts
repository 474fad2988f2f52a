import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The repository's own launcher, found from this file so the checkout can live anywhere.
const SCRIPT = fileURLToPath(new URL('../../../../scripts/ferretdb.sh', import.meta.url));

function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(SCRIPT, args, { env: { ...process.env, ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${SCRIPT} ${args.join(' ')} failed: ${err.message}\n${stderr.trim()}`));
      else resolve(stdout.trim());
    });
  });
}

export interface FerretDbOptions {
  /** Listen on this port (to restart an instance where its clients expect it). */
  port?: number;
  /** Reuse the data already in `dir` (start) or leave it there (stop). */
  keepData?: boolean;
}

function envFor(options: FerretDbOptions): Record<string, string> {
  return {
    ...(options.port ? { FERRETDB_PORT: String(options.port) } : {}),
    ...(options.keepData ? { FERRETDB_KEEP_DATA: '1' } : {}),
  };
}

/**
 * Starts FerretDB with its data under `dir` and resolves with its MongoDB URL. The first run on a
 * machine builds FerretDB, which takes a few minutes.
 */
export async function startFerretDb(dir: string, options: FerretDbOptions = {}): Promise<string> {
  const url = await run(['start', dir], envFor(options), 10 * 60_000);
  if (!/^mongodb:\/\/127\.0\.0\.1:\d+\/$/.test(url)) throw new Error(`${SCRIPT} start printed no MongoDB URL: ${JSON.stringify(url)}`);
  return url;
}

export async function stopFerretDb(dir: string, options: FerretDbOptions = {}): Promise<void> {
  await run(['stop', dir], envFor(options), 30_000);
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}
