import { createRouter, createWebHistory, type Router } from 'vue-router';
import LayoutShell from '../components/layout/LayoutShell.vue';
import { useAttentionStore } from '../stores/attention';
import { useSessionStore } from '../stores/session';
import AccountView from '../views/AccountView.vue';
import DmView from '../views/DmView.vue';
import LobbyView from '../views/LobbyView.vue';
import RoomView from '../views/RoomView.vue';
import SignInView from '../views/SignInView.vue';
import SignUpView from '../views/SignUpView.vue';
import { safeRedirect } from './redirect';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for signed-in users; others go to sign-in and come back afterwards. */
    requiresAuth?: boolean;
    /** Only for signed-out users; others go to the lobby. */
    isGuestOnly?: boolean;
    /** Shown in the browser tab, before "· Confab" (a view may refine it, as the DM view does). */
    title?: string;
  }
}

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      {
        // The sidebar stays mounted while moving between the lobby and conversations.
        path: '/',
        component: LayoutShell,
        meta: { requiresAuth: true },
        children: [
          { path: '', name: 'lobby', component: LobbyView, meta: { title: '#lobby' } },
          { path: 'dm/:username', name: 'dm', component: DmView, meta: { title: 'Direct message' } },
          // Channels by name (as people say them), groups by id (they have no name).
          { path: 'c/:name', name: 'channel', component: RoomView, meta: { title: 'Channel' } },
          { path: 'g/:roomId', name: 'group', component: RoomView, meta: { title: 'Conversation' } },
          { path: 'account', name: 'account', component: AccountView, meta: { title: 'Account' } },
        ],
      },
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

  // The notifier writes document.title from this, with the unread count in front.
  router.afterEach((to) => {
    useAttentionStore().setPageTitle(to.meta.title ?? null);
  });

  return router;
}
