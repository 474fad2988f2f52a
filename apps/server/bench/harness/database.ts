import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startFerretDb, stopFerretDb } from '../../test/support/ferretdb.js';

export interface Database {
  url: string;
  /** What answers: MongoDB and its version, or FerretDB with its backend. */
  backend: string;
  /** Drops the benchmark's databases, and stops FerretDB if we started it. */
  close(): Promise<void>;
}

/** FerretDB's backend, from the command line of its process (serverStatus names the pid). */
async function describe(url: string): Promise<string> {
  const connection = await mongoose.createConnection(url, { dbName: 'admin', serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const status = (await connection.db!.admin().command({ serverStatus: 1 })) as { version?: string; pid?: number; ferretdbVersion?: string };
    if (!status.ferretdbVersion) return `MongoDB ${status.version ?? ''}`.trim();
    const cmdline = status.pid ? await readFile(`/proc/${status.pid}/cmdline`, 'utf8').catch(() => '') : '';
    const handler = /--handler=([a-z]+)/.exec(cmdline.replaceAll('\0', ' '))?.[1] ?? process.env.FERRETDB_HANDLER;
    const names: Record<string, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mysql: 'MySQL' };
    return `FerretDB ${status.ferretdbVersion} on ${handler ? (names[handler] ?? handler) : 'an unknown backend (not a local process)'}`;
  } finally {
    await connection.close();
  }
}

export async function dropDatabase(url: string, dbName: string): Promise<void> {
  const connection = await mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  await connection.dropDatabase();
  await connection.close();
}

/**
 * MONGODB_URL when given; otherwise a throw-away FerretDB from scripts/ferretdb.sh (the full run
 * only: the smoke run reports why it skipped instead of building one).
 */
export async function openDatabase(options: { smoke: boolean }): Promise<Database | { skipped: string }> {
  const given = process.env.MONGODB_URL;
  if (given) return { url: given, backend: await describe(given), close: async () => {} };
  if (options.smoke) return { skipped: 'no MONGODB_URL: the smoke run does not start a database of its own' };
  const dir = await mkdtemp(join(tmpdir(), 'confab-bench-ferretdb-'));
  try {
    const url = await startFerretDb(dir);
    return {
      url,
      backend: `${await describe(url)} (started by scripts/ferretdb.sh)`,
      async close() {
        await stopFerretDb(dir);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return { skipped: `no MONGODB_URL, and FerretDB did not start: ${(err as Error).message.split('\n')[0]}` };
  }
}
