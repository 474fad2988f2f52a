import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file, inside the data directory, that holds the generated session secret. */
export const SESSION_SECRET_FILE = 'session-secret';

const MIN_LENGTH = 32;

/**
 * The session secret kept in `dataDir`, generated and stored on first use, so that a server on
 * embedded defaults keeps its sessions across restarts. The directory is made 0700 and the file
 * 0600: whoever reads the secret can sign in as anyone.
 */
export function readOrCreateSessionSecret(dataDir: string): { secret: string; path: string } {
  const path = join(dataDir, SESSION_SECRET_FILE);
  ensureDataDir(dataDir);
  const existing = readSecret(path);
  if (existing !== null) return { secret: existing, path };

  // Written whole to a temporary name, then linked into place: a second server starting at the
  // same moment either wins the link or reads the complete file the first one linked.
  const secret = randomBytes(32).toString('base64url');
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, path);
    return { secret, path };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { secret: readSecret(path)!, path };
  } finally {
    unlinkSync(temporary);
  }
}

function ensureDataDir(dataDir: string): void {
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

function readSecret(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) {
    throw new Error(`${path} holds no usable session secret (at least ${MIN_LENGTH} characters); delete it to have a new one generated, or set SESSION_SECRET`);
  }
  // Someone loosened it (or copied it in with a umask of 022): nobody else may read it.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return secret;
}
