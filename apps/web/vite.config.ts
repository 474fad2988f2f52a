import { fileURLToPath } from 'node:url';
import { constants } from 'node:zlib';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { bundleBudget } from './scripts/bundleBudget.ts';

const serverUrl = process.env.CONFAB_SERVER_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [
    vue(),
    // A .gz and a .br beside every text file, at the highest levels (built once, served many times):
    // the server and nginx send them as they are, with no compression work per request.
    compression({
      algorithms: [
        defineAlgorithm('gzip', { level: 9 }),
        defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      ],
      logLevel: 'silent',
    }),
    bundleBudget(),
  ],
  server: {
    proxy: {
      '/api': { target: serverUrl, changeOrigin: false },
      '/socket.io': { target: serverUrl, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: {
      treeshake: {
        // @confab/shared builds its zod schemas at module level, and a bundler must keep such calls
        // (and zod with them) wherever anything of the package is imported. They have no effect
        // beyond their value: a module nothing takes a value from is dropped. (undefined: the default.)
        moduleSideEffects: (id) => (id.includes('/packages/shared/src/') ? false : undefined),
      },
    },
  },
});
