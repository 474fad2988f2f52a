import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDataDir } from '../../dataDir.js';
import type { FileClaim, FileRecord } from '../ports.js';
import { FilesLayout, isShardName, parseEntryName, PARTIAL_SUFFIX, type EntryKind } from './layout.js';
import { readClaim, readRecord } from './sidecars.js';

/** What a folder held at open. */
export interface OpenedFolder {
  layout: FilesLayout;
  records: FileRecord[];
  claims: FileClaim[];
}

/** A new private folder under the system's temporary folder (mkdtemp makes it 0700). */
export async function temporaryFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'confab-files-'));
}

/**
 * Makes the folder private (0700) if it is new, reads every record and claim, and removes what a
 * crash can leave: writes in progress, and blobs or claims of a file that was never recorded
 * (an upload cut off between its bytes and its record) or was half deleted.
 */
export async function openFolder(dir: string): Promise<OpenedFolder> {
  ensureDataDir(dir);
  const layout = new FilesLayout(dir);
  await mkdir(layout.partialDir, { recursive: true, mode: 0o700 });
  for (const name of await readdir(layout.partialDir)) {
    if (name.endsWith(PARTIAL_SUFFIX)) await rm(join(layout.partialDir, name), { force: true });
  }
  const found = new Map<string, Set<EntryKind>>();
  for (const shard of await readdir(dir, { withFileTypes: true })) {
    if (!shard.isDirectory() || !isShardName(shard.name)) continue;
    for (const name of await readdir(join(dir, shard.name))) {
      const entry = parseEntryName(shard.name, name);
      if (!entry) continue;
      const kinds = found.get(entry.id) ?? new Set<EntryKind>();
      found.set(entry.id, kinds.add(entry.kind));
    }
  }
  const records: FileRecord[] = [];
  const claims: FileClaim[] = [];
  for (const [id, kinds] of found) {
    if (!kinds.has('record')) {
      for (const kind of kinds) await rm(layout.path(id, kind), { force: true });
      continue;
    }
    records.push(await readRecord(layout.path(id, 'record'), id));
    if (kinds.has('claim')) claims.push(await readClaim(layout.path(id, 'claim'), id));
  }
  return { layout, records, claims };
}
