#!/usr/bin/env node
// `pnpm start`: builds the web app when its build is missing or older than its sources, then
// runs the server, which serves it. Settings come from the environment and from a `.env` file at
// the repository root, if there is one (see .env.example); a variable set in the environment wins.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'apps', 'web');
const serverDir = join(root, 'apps', 'server');
const builtIndex = join(webDir, 'dist', 'index.html');
const webSources = [
  join(webDir, 'src'),
  join(webDir, 'public'),
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(webDir, 'package.json'),
  join(root, 'packages', 'shared', 'src'),
];

const envFile = join(root, '.env');
if (existsSync(envFile)) {
  // Sets only variables the environment does not already hold, so `PORT=8080 pnpm start` still wins.
  process.loadEnvFile(envFile);
  console.log(`Read settings from ${envFile}; variables already set in the environment take precedence.`);
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

function needsBuild() {
  if (!existsSync(builtIndex)) return true;
  const builtAt = statSync(builtIndex).mtimeMs;
  return webSources.some((source) => newestMtime(source) > builtAt);
}

if (process.env.WEB_DIST === undefined && needsBuild()) {
  console.log('Building the web app (first start, or its sources changed)...');
  const vitePackage = createRequire(join(webDir, 'package.json')).resolve('vite/package.json');
  const vite = join(dirname(vitePackage), 'bin', 'vite.js');
  // A production build even when NODE_ENV says otherwise (a .env for development): a development
  // build of Vue is larger, and the web app's size budget refuses it.
  const build = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (build.status !== 0) {
    console.error('The web app did not build; see the errors above.');
    process.exit(build.status ?? 1);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: serverDir, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
