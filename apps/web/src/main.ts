import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router';
import { startNotifier } from './services/notifier';
import { startRealtime } from './services/realtime';
import './styles/main.css';

const app = createApp(App);
app.use(createPinia());
const router = createAppRouter();
app.use(router);
startRealtime(router, startNotifier(router));
app.mount('#app');
