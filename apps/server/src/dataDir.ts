import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates `DATA_DIR` if needed and keeps it private (0700): it holds the session secret and the
 * embedded store, and whoever reads either can sign in as anyone.
 */
export function ensureDataDir(dataDir: string): void {
  // Only a folder made here (marked by its own .gitignore) is ours to tighten and mark: DATA_DIR
  // may name an existing one (a home directory, a repository) whose mode belongs to someone else.
  const created = mkdirSync(dataDir, { recursive: true, mode: 0o700 }) !== undefined;
  const ignore = join(dataDir, '.gitignore');
  if (created) writeFileSync(ignore, '*\n', { flag: 'wx' });
  else if (!isOurs(ignore)) return;
  // mkdir's mode goes through the umask, and someone may have loosened it since.
  if ((statSync(dataDir).mode & 0o077) !== 0) chmodSync(dataDir, 0o700);
}

function isOurs(ignoreFile: string): boolean {
  try {
    return readFileSync(ignoreFile, 'utf8') === '*\n';
  } catch {
    return false;
  }
}
