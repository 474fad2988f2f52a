import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from '../vite.config.ts';

/** `pnpm bench`: the browser benchmarks, one at a time, on the same build the e2e tests use. */
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ['bench/**/*.bench.ts'],
      environment: 'node',
      fileParallelism: false,
      globalSetup: ['bench/globalSetup.ts'],
      testTimeout: 900_000,
      hookTimeout: 120_000,
    },
  }),
);
