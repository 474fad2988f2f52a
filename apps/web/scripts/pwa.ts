import type { VitePWAOptions } from 'vite-plugin-pwa';

/**
 * The web app manifest and the service worker (vite-plugin-pwa, Workbox's generateSW), so that
 * Confab installs and, with the server out of reach, still opens: the worker precaches the app
 * shell and answers every page navigation with index.html. It caches nothing from the API or the
 * sockets, nor uploaded files (/api/files): those always go to the network.
 */
export const pwaOptions: Partial<VitePWAOptions> = {
  // A new build waits until the user says Reload (src/pwa/), never swapping code under an open app.
  registerType: 'prompt',
  // src/pwa/registerServiceWorker.ts registers it, loaded after the first screen.
  injectRegister: false,
  includeAssets: ['icons/apple-touch-icon-180.png'],
  manifest: {
    name: 'Confab',
    short_name: 'Confab',
    description: 'Self-hosted team chat',
    id: '/',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    // --color-primary (the logo's plate) and --color-bg (light) in src/styles/main.css.
    theme_color: '#4f46e5',
    background_color: '#ffffff',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    // The app shell: index.html, every hashed chunk and style (the lazy screens too, so moving
    // between conversations works offline), theme.js and fonts; the manifest and its icons are
    // added by the plugin. Not the .br/.gz copies: the worker fetches through the browser, which
    // negotiates compression itself.
    globPatterns: ['**/*.{html,js,css,svg,ico,woff,woff2}'],
    navigateFallback: '/index.html',
    // Server paths a person may open in a tab: they must reach the server, never get the app.
    navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/healthz$/, /^\/readyz$/],
    cleanupOutdatedCaches: true,
    // The Workbox runtime inside sw.js rather than beside it: one file per build, nothing else to cache-bust.
    inlineWorkboxRuntime: true,
  },
  // `vite dev` serves modules one by one and reloads itself: a worker there would only serve stale code.
  devOptions: { enabled: false },
};
