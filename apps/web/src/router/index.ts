import { createRouter, createWebHistory, type Router } from 'vue-router';
import { useSessionStore } from '../stores/session';
import LobbyView from '../views/LobbyView.vue';
import SignInView from '../views/SignInView.vue';
import SignUpView from '../views/SignUpView.vue';
import { safeRedirect } from './redirect';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for signed-in users; others go to sign-in and come back afterwards. */
    requiresAuth?: boolean;
    /** Only for signed-out users; others go to the lobby. */
    isGuestOnly?: boolean;
    /** Shown in the browser tab, before "· Confab". */
    title?: string;
  }
}

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', name: 'lobby', component: LobbyView, meta: { requiresAuth: true, title: '#lobby' } },
      { path: '/signin', name: 'signin', component: SignInView, meta: { isGuestOnly: true, title: 'Sign in' } },
      { path: '/signup', name: 'signup', component: SignUpView, meta: { isGuestOnly: true, title: 'Create account' } },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach(async (to) => {
    const session = useSessionStore();
    await session.ensureLoaded();
    if (to.meta.requiresAuth && !session.user) {
      return { name: 'signin', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.meta.isGuestOnly && session.user) return safeRedirect(to.query.redirect);
    return true;
  });

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Confab` : 'Confab';
  });

  return router;
}
