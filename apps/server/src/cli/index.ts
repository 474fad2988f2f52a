#!/usr/bin/env node
// The operator command line: `pnpm confab <command>` (scripts/confab.mjs), or `node dist/cli.js`
// in the server image. See `help` and docs/operations.md.
import { runCli } from './run.js';

const exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
// Explicitly: a driver's or Redis client's handle left open must not keep an operator waiting.
process.exit(exitCode);
