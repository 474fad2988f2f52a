import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFerretDb, stopFerretDb } from './ferretdb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MongoDB server the mongo-backed tests use (MONGODB_URL, or a FerretDB started here). */
    mongoUrl: string;
  }
}

/**
 * Gives the test run a MongoDB-compatible server: MONGODB_URL if set, otherwise a throw-away
 * FerretDB. Failing to start one fails the run: the mongo tests are never silently skipped.
 */
export default async function setup(project: TestProject) {
  const given = process.env.MONGODB_URL;
  if (given) {
    project.provide('mongoUrl', given);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'confab-ferretdb-'));
  try {
    project.provide('mongoUrl', await startFerretDb(dir));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `The mongo tests need a MongoDB-compatible server: set MONGODB_URL, or let scripts/ferretdb.sh start FerretDB ` +
        `(it needs Go and, the first time, the Go module proxy).\n${(err as Error).message}`,
    );
  }
  return async () => {
    await stopFerretDb(dir);
    await rm(dir, { recursive: true, force: true });
  };
}
