import { fileURLToPath } from 'node:url';
import { constants } from 'node:zlib';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { CHAT_FIRST_SCREEN_GZIP_BUDGET, SIGNED_OUT_FIRST_SCREEN_GZIP_BUDGET, bundleBudget } from './scripts/bundleBudget.ts';
import { pwaOptions } from './scripts/pwa.ts';

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
    // What a first visit waits for before its screen shows (see main.ts and src/router): a visitor
    // signed out sees sign-in; one signed in, the lobby with its live connection.
    bundleBudget(undefined, [
      { name: 'sign-in', modules: [/\/views\/SignInView\.vue$/], budget: SIGNED_OUT_FIRST_SCREEN_GZIP_BUDGET },
      { name: 'lobby, signed in', modules: [/\/services\/live\.ts$/, /\/layout\/LayoutShell\.vue$/, /\/views\/LobbyView\.vue$/], budget: CHAT_FIRST_SCREEN_GZIP_BUDGET },
    ]),
    VitePWA(pwaOptions),
  ],
  // vue-i18n's feature flags (esm-bundler build): the Composition API only, so the legacy API is
  // left out of the bundle; <i18n-t> and the other components stay registered.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
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
