import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter, prefetchChatScreens } from './router';
import { useThemeStore } from './stores/theme';
import './styles/main.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
// Applies the theme and follows the system's light/dark setting on every screen, signed in or not.
useThemeStore(pinia);
const router = createAppRouter();
// The connection and notifications, with the message stores, markdown and validation they bring,
// load beside the first screen instead of before it: index.html then loads only Vue, the router
// and the session (see bundleBudget in vite.config.ts), and the sign-in form needs nothing more.
const live = import('./services/live').then(({ startLive }) => startLive(router));
// Still, no screen shows before they run: screens read the stores they keep.
router.beforeResolve(() => live.then(() => true));
app.use(router);
app.mount('#app');
void router.isReady().then(prefetchChatScreens, () => undefined);
