import type { Router } from 'vue-router';
import { useSessionStore } from '../stores/session';
import { useUserStatesStore } from '../stores/userStates';
import { listenAll, type LobbySocket } from './socket';

/**
 * Maps what admins change about accounts to the stores, so open tabs follow without a reload:
 * `session:changed` (this user's own role: the menu and the admin screen follow `user.role`) and
 * `user:updated` (someone's deactivation: the mark beside their name). A reconnection reads the
 * user again too, since a `session:changed` sent while the socket was down is lost. Returns a
 * function that undoes it.
 */
export function bindAccountEvents(socket: LobbySocket): () => void {
  const session = useSessionStore();
  const userStates = useUserStatesStore();
  // The first connection of a user follows the sign-in or page load that read them.
  let connectedAs: string | null = null;

  function onConnect(): void {
    const userId = session.user?.id ?? null;
    if (userId && userId === connectedAs) void session.refresh();
    connectedAs = userId;
  }

  return listenAll(socket, [
    ['connect', onConnect],
    ['session:changed', () => void session.refresh()],
    ['user:updated', userStates.apply],
  ]);
}

/**
 * What to do when the server refuses this tab's session (a socket's handshake answered
 * `unauthorized`): forget the user and go to sign in, saying why once the server has said it
 * (`explainEnd`: an admin deactivated the account, or the session merely ended). Both sockets
 * are refused when a session ends; only the first refusal acts on it.
 */
export function createSessionEnd(router: Router): () => void {
  const session = useSessionStore();
  return () => {
    if (!session.user) return;
    const redirect = router.currentRoute.value.fullPath;
    // Asked with the cookie still held; the sign-in page waits for the answer before it says anything.
    void session.explainEnd();
    session.forget();
    void router.replace({ name: 'signin', query: { ...(redirect === '/' ? {} : { redirect }), expired: '1' } });
  };
}
