import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { passwordSchema } from '@confab/shared';
import { invalidArgument } from './errors.js';

/** A password the command line sets: given on stdin, or generated (and then shown once). */
export interface NewPassword {
  password: string;
  isGenerated: boolean;
}

/** 18 random bytes: 24 base64url characters, 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * All of stdin, less one line ending at its end (what `echo` or a here-string adds). Never a
 * prompt: typed at a terminal the password would show, and argv would put it in `ps` and the
 * shell's history, so it comes piped in or from a file.
 */
async function readAll(stdin: Readable & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw invalidArgument('--password-stdin reads a password piped in, e.g. `pnpm confab reset-password alice --password-stdin < password.txt`; leave it out to have one generated');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/** The password to set: read from stdin with `--password-stdin` (checked as registration checks it), else generated. */
export async function newPassword(options: { fromStdin: boolean; stdin: Readable }): Promise<NewPassword> {
  if (!options.fromStdin) return { password: generatePassword(), isGenerated: true };
  const parsed = passwordSchema.safeParse(await readAll(options.stdin));
  if (!parsed.success) throw invalidArgument(`the password on stdin is refused: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { password: parsed.data, isGenerated: false };
}
