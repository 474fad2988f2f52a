import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';

// The repository's builder of mongodump and mongorestore (MongoDB Database Tools, from source).
const SCRIPT = fileURLToPath(new URL('../../../../scripts/mongo-tools.sh', import.meta.url));

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr.trim()}`));
      else resolve({ stdout, stderr });
    });
  });
}

export interface MongoTools {
  mongodump: string;
  mongorestore: string;
}

/**
 * The built tools, building them the first time on a machine (a few minutes: it needs Go and the
 * Go module proxy). A failure fails the test: the backup test is never skipped.
 */
export async function installMongoTools(): Promise<MongoTools> {
  const { stdout } = await run(SCRIPT, ['install'], 15 * 60_000);
  const dir = stdout.trim();
  return { mongodump: join(dir, 'mongodump'), mongorestore: join(dir, 'mongorestore') };
}

/** Whether the server at `url` is FerretDB (its `buildInfo` says so) rather than MongoDB. */
export async function isFerretDb(url: string): Promise<boolean> {
  const connection = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    const info = await connection.db!.admin().command({ buildInfo: 1 });
    return typeof info.ferretdbVersion === 'string';
  } finally {
    await connection.close();
  }
}

/** Runs a tool (`mongodump` or `mongorestore` with its arguments) and resolves with its log (stderr). */
export async function runTool(path: string, args: string[]): Promise<string> {
  return (await run(path, args, 5 * 60_000)).stderr;
}
