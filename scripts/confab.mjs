#!/usr/bin/env node
// `pnpm confab <command>`: the operator command line (apps/server/src/cli). Runs the compiled
// apps/server/dist/cli.js when it is there and newer than every server and shared source,
// otherwise the TypeScript sources through tsx. Settings come from the environment and from a
// `.env` file at the repository root, as `pnpm start` reads them, so it works on the same database
// as the server; a variable set in the environment wins. Arguments, stdin and the exit status pass
// through unchanged.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverDir = join(root, 'apps', 'server');
const compiled = join(serverDir, 'dist', 'cli.js');
const sources = [join(serverDir, 'src'), join(serverDir, 'build.mjs'), join(serverDir, 'package.json'), join(root, 'packages', 'shared', 'src')];

const envFile = join(root, '.env');
// Sets only variables the environment does not already hold (quietly: stdout is the command's output).
if (existsSync(envFile)) process.loadEnvFile(envFile);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

function isCompiledCurrent() {
  if (!existsSync(compiled)) return false;
  const builtAt = statSync(compiled).mtimeMs;
  return sources.every((source) => newestMtime(source) <= builtAt);
}

// From apps/server either way, so a relative DATA_DIR means what it means to the server.
const args = isCompiledCurrent() ? [compiled] : ['--import', 'tsx', join('src', 'cli', 'index.ts')];
const cli = spawn(process.execPath, [...args, ...process.argv.slice(2)], { cwd: serverDir, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => cli.kill(signal));
}
cli.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
