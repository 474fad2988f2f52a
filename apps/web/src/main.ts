import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { createAppRouter, isChunkLoadError, prefetchChatScreens } from './router';
import { useLanguageStore } from './stores/language';
import { useThemeStore } from './stores/theme';
import './styles/main.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
// Applies the theme and follows the system's light/dark setting on every screen, signed in or not.
useThemeStore(pinia);
const language = useLanguageStore(pinia);
const router = createAppRouter();
// The connection and notifications, with the message stores, markdown and validation they bring,
// load beside the first screen instead of before it: index.html then loads only Vue, the router
// and the session, and the sign-in form needs nothing more (see the budgets in vite.config.ts).
// Screens for signed-in users read the stores they keep, so those wait for them. A failed load
// (offline, or a chunk gone after a deploy) is tried again by the next navigation.
let live: Promise<unknown> | null = null;
const startLiveOnce = () =>
  (live ??= import('./services/live')
    .then(({ startLive }) => startLive(router))
    .catch((error: unknown) => {
      live = null;
      throw error;
    }));
void startLiveOnce().catch(() => undefined);
router.beforeResolve((to) => (to.matched.some((record) => record.meta.requiresAuth) ? startLiveOnce().then(() => true) : true));
// A screen's chunk that no longer exists (a new version was deployed under this open tab): load
// the page again, which brings the new version, rather than leave a navigation that does nothing.
const CHUNK_RELOAD_KEY = 'confab:chunk-reload-at';
// At most once in 10 s, so a chunk missing for good (a broken deploy) cannot loop.
function reloadAt(url: string): void {
  const last = Number(sessionStorage.getItem(CHUNK_RELOAD_KEY) ?? 0);
  if (Date.now() - last < 10_000) return;
  sessionStorage.setItem(CHUNK_RELOAD_KEY, String(Date.now()));
  window.location.assign(url);
}
router.onError((error, to) => {
  if (isChunkLoadError(error)) reloadAt(to.fullPath);
});
window.addEventListener('vite:preloadError', () => reloadAt(window.location.href));
app.use(i18n);
app.use(router);
// In the reader's language from the first paint: a language other than English waits for its
// catalogue, for 3 s at most; a fetch that stalls longer shows English, and the language follows
// when the catalogue arrives.
const CATALOGUE_WAIT_MS = 3_000;
void Promise.race([language.ready(), new Promise((resolve) => setTimeout(resolve, CATALOGUE_WAIT_MS))]).then(() => app.mount('#app'));
void router.isReady().then(prefetchChatScreens, () => undefined);
// The service worker (offline app shell, update prompt) exists only in a build: `vite dev` has none.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void import('./pwa/registerServiceWorker').then(({ registerServiceWorker }) => registerServiceWorker(pinia));
}
