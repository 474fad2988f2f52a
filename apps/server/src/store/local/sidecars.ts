import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FileClaim, FileRecord } from '../ports.js';
import { PARTIAL_SUFFIX } from './layout.js';

const isoDate = z.iso.datetime().transform((v) => new Date(v));
const count = z.int().min(0);

const recordSchema = z.strictObject({
  id: z.string(),
  ownerId: z.string(),
  name: z.string(),
  contentType: z.string(),
  kind: z.enum(['image', 'file']),
  size: count,
  width: count.optional(),
  height: count.optional(),
  thumbnail: z.strictObject({ width: count, height: count, size: count }).optional(),
  sha256: z.string(),
  createdAt: isoDate,
});

const claimSchema = z.strictObject({
  fileId: z.string(),
  authorId: z.string(),
  clientId: z.string(),
  roomId: z.string(),
  messageId: z.string().optional(),
  at: isoDate,
});

/** A name in the partial folder for one write in progress. */
export function partialPath(partialDir: string): string {
  return join(partialDir, randomBytes(16).toString('hex') + PARTIAL_SUFFIX);
}

async function readJson<T>(path: string, schema: z.ZodType<T>, id: string, idField: 'id' | 'fileId'): Promise<T> {
  const parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a file store entry: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
  if ((parsed.data as Record<string, unknown>)[idField] !== id) throw new Error(`${path} holds another file's entry`);
  return parsed.data;
}

export function readRecord(path: string, id: string): Promise<FileRecord> {
  return readJson(path, recordSchema, id, 'id');
}

export function readClaim(path: string, id: string): Promise<FileClaim> {
  return readJson(path, claimSchema, id, 'fileId');
}

/**
 * Writes `value` as JSON at `path`, whole or not at all: into a private partial file first, then
 * moved into place. `exclusive`: fails with EEXIST instead of replacing an existing file (a hard
 * link, unlike a rename, never replaces), which is what makes a claim unique.
 */
export async function writeJsonAtomically(path: string, value: unknown, partialDir: string, exclusive = false): Promise<void> {
  const partial = partialPath(partialDir);
  try {
    await writeFile(partial, JSON.stringify(value), { flag: 'wx', mode: 0o600, flush: true });
    if (exclusive) await link(partial, path);
    else await rename(partial, path);
  } finally {
    if (exclusive) await rm(partial, { force: true });
  }
}
