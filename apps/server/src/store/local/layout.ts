import { join } from 'node:path';
import type { BlobKind } from '../ports.js';
import { isFileId } from './blobArgs.js';

/** What a name in a shard folder holds. */
export type EntryKind = BlobKind | 'record' | 'claim';

const SUFFIXES: readonly [string, EntryKind][] = [
  ['', 'file'],
  ['.thumbnail', 'thumbnail'],
  ['.json', 'record'],
  ['.claim.json', 'claim'],
];

/** Where a temporary file's name ends: only such names are removed from the partial folder at open. */
export const PARTIAL_SUFFIX = '.part';

/**
 * The local store's folder: `<dir>/<first 2 hex digits>/<id>` (the file), `<id>.thumbnail`,
 * `<id>.json` (its record) and `<id>.claim.json` (its claim); writes in progress in
 * `<dir>/partial/`. Two-digit shards keep any one folder to a few thousand entries. Callers check
 * ids first (assertFileId): this only joins them.
 */
export class FilesLayout {
  readonly partialDir: string;

  constructor(readonly dir: string) {
    this.partialDir = join(dir, 'partial');
  }

  shardOf(id: string): string {
    return join(this.dir, id.slice(0, 2));
  }

  path(id: string, kind: EntryKind): string {
    const suffix = SUFFIXES.find(([, k]) => k === kind)![0];
    return join(this.shardOf(id), id + suffix);
  }
}

/** Whether `name` is a shard folder's: two hex digits. */
export function isShardName(name: string): boolean {
  return name.length === 2 && isFileId(name.repeat(12));
}

/** Which file and entry a name in a shard folder is; null for names the store never makes. */
export function parseEntryName(shard: string, name: string): { id: string; kind: EntryKind } | null {
  const id = name.slice(0, 24);
  if (!isFileId(id) || !id.startsWith(shard)) return null;
  const entry = SUFFIXES.find(([suffix]) => name.slice(24) === suffix);
  return entry ? { id, kind: entry[1] } : null;
}
