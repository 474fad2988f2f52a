import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from './dataDir.js';

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
