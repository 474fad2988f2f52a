/** Exit codes: 0 done, 1 the command could not be carried out, 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A refusal the command line reports in one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** What to show after a usage error: the command's usage when the command is known. */
    readonly help?: string,
  ) {
    super(message);
  }
}

/** The command line is wrong (unknown command or option, a bad or missing argument): exit 2, with the usage. */
export function usageError(message: string, help?: string): CliError {
  return new CliError(message, EXIT.usage, help);
}

/** The command could not be carried out (no such user, the last admin, the database unreachable): exit 1. */
export function failure(message: string): CliError {
  return new CliError(message, EXIT.failed);
}

/** An argument's value is refused (a malformed username, a too-short password): exit 2, with only the reason. */
export function invalidArgument(message: string): CliError {
  return new CliError(message, EXIT.usage, '');
}
