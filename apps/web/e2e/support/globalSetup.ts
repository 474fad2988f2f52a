import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import { WEB_DIST } from './paths';

/**
 * Builds the SPA once for every browser test file; each file's in-process server serves it from
 * dist, on the same origin as the API. vue-tsc is left to `pnpm typecheck` to keep this fast.
 */
export default async function setup(): Promise<void> {
  // vitest sets NODE_ENV=test, which would make Vite bundle Vue's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: WEB_DIST, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
