#!/usr/bin/env node
// Compiles the server to JavaScript, so production runs it with plain `node` (no TypeScript
// loader at run time): `node build.mjs [--outdir DIR]` writes DIR/index.js (the server, from
// src/index.ts) and DIR/cli.js (the operator command line, from src/cli/index.ts, once it exists),
// each with a source map. DIR defaults to dist/.
//
// esbuild bundles Confab's own code and @confab/shared (a workspace package published as
// TypeScript source, which plain node cannot load). Every other package stays an import that
// node resolves from node_modules at run time: the native add-ons (sharp, @node-rs/argon2) cannot
// be bundled, and pino starts its transports (pino-pretty) by package name in worker threads.
// So the output must sit where apps/server/node_modules is reachable (inside apps/server).
//
// DIR/meta.json is esbuild's metafile: what went in and what each output imports.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const serverDir = dirname(fileURLToPath(import.meta.url));
const sharedEntry = join(serverDir, '..', '..', 'packages', 'shared', 'src', 'index.ts');

/** Output name → source. The CLI is optional so that the server builds while it is being written. */
const ENTRIES = { index: 'src/index.ts', cli: 'src/cli/index.ts' };

/**
 * Builds the server into `outdir` (emptied first) and returns esbuild's metafile.
 * @param {{ outdir?: string }} [options]
 */
export async function buildServer({ outdir = join(serverDir, 'dist') } = {}) {
  const entryPoints = Object.fromEntries(Object.entries(ENTRIES).filter(([, source]) => existsSync(join(serverDir, source))));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: serverDir,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Every package import stays an import, except @confab/shared: aliases apply before the
    // package check, so the alias turns it into a path that is bundled.
    packages: 'external',
    alias: { '@confab/shared': sharedEntry },
    sourcemap: 'linked',
    // Readable stack traces and logs: no minifying, and functions and classes keep their names.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  return { metafile: result.metafile, entries: Object.keys(entryPoints) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  const outdir = values.outdir ? resolve(values.outdir) : undefined;
  const { entries } = await buildServer(outdir ? { outdir } : {});
  const missing = Object.keys(ENTRIES).filter((name) => !entries.includes(name));
  const note = missing.length ? ` (${missing.map((name) => `${ENTRIES[name]} does not exist yet`).join('; ')})` : '';
  process.stdout.write(`Built ${entries.map((name) => `${name}.js`).join(' and ')} into ${outdir ?? join(serverDir, 'dist')}${note}\n`);
}
