import type { Writable } from 'node:stream';

/**
 * The command line's deliberate output: results on stdout (a generated password among them, so
 * `… | tail -1` can take it), diagnostics on stderr. The server's logs never go to stdout here.
 */
export interface Output {
  line(text?: string): void;
  error(text: string): void;
}

export function createOutput(stdout: Writable, stderr: Writable): Output {
  return {
    line: (text = '') => void stdout.write(`${text}\n`),
    error: (text) => void stderr.write(`${text}\n`),
  };
}
