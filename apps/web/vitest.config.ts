import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      // Browser tests share one build and start servers on port 0, but each drives a whole
      // Chromium; running files one at a time keeps timings (and reconnect countdowns) stable.
      fileParallelism: false,
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts'],
            environment: 'happy-dom',
          },
        },
        {
          extends: true,
          test: {
            // Checks over the source itself (the i18n catalogues and templates), run in Node.
            name: 'checks',
            include: ['checks/**/*.test.ts'],
            environment: 'node',
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            include: ['e2e/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['e2e/support/globalSetup.ts'],
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  }),
);
