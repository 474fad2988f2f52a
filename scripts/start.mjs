#!/usr/bin/env node
// `pnpm start`: builds the web app and the server when a build is missing or older than its
// sources, then runs the compiled server (apps/server/dist/index.js) with plain node; it serves
// the web app. Settings come from the environment and from a `.env` file at
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
const builtServer = join(serverDir, 'dist', 'index.js');
const serverSources = [
  join(serverDir, 'src'),
  join(serverDir, 'build.mjs'),
  join(serverDir, 'package.json'),
  join(root, 'packages', 'shared', 'src'),
];
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

function needsBuild(built, sources) {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((source) => newestMtime(source) > builtAt);
}

if (process.env.WEB_DIST === undefined && needsBuild(builtIndex, webSources)) {
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

if (needsBuild(builtServer, serverSources)) {
  console.log('Building the server (first start, or its sources changed)...');
  const build = spawnSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The server did not build; see the errors above.');
    process.exit(build.status ?? 1);
  }
}

// Source maps: stack traces in the log name the TypeScript files and lines.
const server = spawn(process.execPath, ['--enable-source-maps', 'dist/index.js'], { cwd: serverDir, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
