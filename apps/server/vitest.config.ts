import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Provides a MongoDB-compatible server (MONGODB_URL or a FerretDB) to the mongo tests.
    globalSetup: ['test/support/mongoGlobalSetup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
