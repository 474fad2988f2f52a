import type { UserDto } from '@confab/shared';
import { watch } from 'vue';
import { START_LOCATION, createRouter, createWebHistory, type Router } from 'vue-router';
import { t, type MessageKey } from '../i18n';
import { isInstalledApp, loadLastRoom, saveLastRoom } from '../lib/lastRoom';
import { useAttentionStore } from '../stores/attention';
import { useSessionStore } from '../stores/session';
import { useSettingsStore } from '../stores/settings';
import { safeRedirect } from './redirect';

// Every screen is its own chunk, loaded when first visited: the first page load fetches only the
// app's core and the screen it opens on (the sign-in form needs none of the chat's code).
const LayoutShell = () => import('../components/layout/LayoutShell.vue');
const LobbyView = () => import('../views/LobbyView.vue');
const DmView = () => import('../views/DmView.vue');
const RoomView = () => import('../views/RoomView.vue');
const AccountView = () => import('../views/AccountView.vue');
// Only admins get past the guard, so members never fetch this chunk.
const AdminView = () => import('../views/AdminView.vue');
const InvitationsView = () => import('../views/InvitationsView.vue');
const SignInView = () => import('../views/SignInView.vue');
const SignUpView = () => import('../views/SignUpView.vue');

/**
 * Fetches the chat's screens once the first one is up, so that moving between conversations never
 * waits on the network, nor fails while the server is out of reach. The account and sign-up
 * screens stay on demand.
 */
export function prefetchChatScreens(): void {
  for (const load of [LayoutShell, LobbyView, DmView, RoomView]) load().catch(() => undefined);
}

/** An import() of a chunk that failed: the network is down, or the file is gone after a deploy. */
export function isChunkLoadError(error: unknown): boolean {
  return error instanceof TypeError && /dynamically imported module|module script|Importing a module/i.test(error.message);
}

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for signed-in users; others go to sign-in and come back afterwards. */
    requiresAuth?: boolean;
    /** Only for the server's admins; anyone else goes to the lobby, as for an address that does not exist. */
    requiresAdmin?: boolean;
    /** Only for those who may create invitation links: admins, and members while `membersCanInvite`; anyone else goes to the lobby. */
    requiresInviter?: boolean;
    /** Only for signed-out users; others go to the lobby. */
    isGuestOnly?: boolean;
    /** The catalogue's title for the browser tab, before "· Confab" (a view may refine it, as the DM view does). */
    titleKey?: MessageKey;
  }
}

/**
 * Whether the signed-in user may create invitation links: admins always, members while the admins'
 * setting allows it, read afresh (an admin may have just turned it on or off); unknown counts as no.
 */
async function mayInvite(role: UserDto['role']): Promise<boolean> {
  if (role === 'admin') return true;
  const settings = useSettingsStore();
  await settings.load();
  return settings.settings?.membersCanInvite === true;
}

/**
 * Leaves the screen on display when the user's role changes under it and they may no longer see
 * it (an admin demoted them: `session:changed`), as the guard would have refused to open it.
 */
function leaveWhenNoLongerAllowed(router: Router): void {
  const session = useSessionStore();
  watch(
    () => session.user?.role,
    async (role) => {
      // Signed out: the realtime edge or the next navigation goes to sign in.
      if (!role) return;
      const route = router.currentRoute.value;
      const isAllowed = route.meta.requiresAdmin ? role === 'admin' : route.meta.requiresInviter ? await mayInvite(role) : true;
      if (!isAllowed && router.currentRoute.value === route) await router.replace({ name: 'lobby' });
    },
  );
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
          { path: '', name: 'lobby', component: LobbyView, meta: { titleKey: 'app.titles.lobby' } },
          { path: 'dm/:username', name: 'dm', component: DmView, meta: { titleKey: 'app.titles.dm' } },
          // Channels by name (as people say them), groups by id (they have no name).
          { path: 'c/:name', name: 'channel', component: RoomView, meta: { titleKey: 'app.titles.channel' } },
          { path: 'g/:roomId', name: 'group', component: RoomView, meta: { titleKey: 'app.titles.group' } },
          { path: 'account', name: 'account', component: AccountView, meta: { titleKey: 'app.titles.account' } },
          { path: 'invitations', name: 'invitations', component: InvitationsView, meta: { requiresInviter: true, titleKey: 'app.titles.invitations' } },
          // The section is part of the address, so a section can be linked to and Back returns to it.
          { path: 'admin/:section(settings|users|invitations|reports|audit)?', name: 'admin', component: AdminView, meta: { requiresAdmin: true, titleKey: 'admin.title' } },
        ],
      },
      { path: '/signin', name: 'signin', component: SignInView, meta: { isGuestOnly: true, titleKey: 'app.titles.signIn' } },
      { path: '/signup', name: 'signup', component: SignUpView, meta: { isGuestOnly: true, titleKey: 'app.titles.signUp' } },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach(async (to, from) => {
    const session = useSessionStore();
    await session.ensureLoaded();
    if (to.meta.requiresAuth && !session.user) {
      return { name: 'signin', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.meta.isGuestOnly && session.user) return safeRedirect(to.query.redirect);
    if (to.meta.requiresAdmin && session.user?.role !== 'admin') return { name: 'lobby', replace: true };
    if (to.meta.requiresInviter && !(await mayInvite(session.user?.role))) return { name: 'lobby', replace: true };
    // The installed app starts at '/': it opens in the room left last instead.
    if (from === START_LOCATION && to.name === 'lobby' && session.user && isInstalledApp()) {
      const last = loadLastRoom(session.user.id);
      if (last) return last;
    }
    return true;
  });

  router.afterEach((to) => {
    const user = useSessionStore().user;
    if (user && (to.name === 'lobby' || to.name === 'dm' || to.name === 'channel' || to.name === 'group')) saveLastRoom(user.id, to.name === 'lobby' ? '/' : to.path);
  });

  // The notifier writes document.title from this, with the unread count in front, in the language on
  // screen; a server named otherwise than the app has its name after the screen's ("#lobby · Acme · Confab").
  router.afterEach((to) => {
    const key = to.meta.titleKey;
    const settings = useSettingsStore();
    useAttentionStore().setPageTitle(
      key
        ? () => {
            const serverName = settings.settings?.serverName;
            return serverName && serverName !== t('common.appName') ? t('layout.documentTitle', { page: t(key), appName: serverName }) : t(key);
          }
        : null,
    );
  });

  leaveWhenNoLongerAllowed(router);
  return router;
}
