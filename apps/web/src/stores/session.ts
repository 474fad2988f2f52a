import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ChangePasswordPayload, RegisterPayload, SignInPayload, UserDto } from '@confab/shared';
import { clearStoredDrafts } from '../lib/draftStorage';
import { loadLastUser, saveLastUser } from '../lib/lastUser';
import { clearStoredOutbox, storedOutboxCount } from '../lib/outboxStorage';
import * as auth from '../services/auth';
import { ApiError } from '../services/http';

/** The signed-in user. Actions throw `ApiError`, which the forms turn into messages. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<UserDto | null>(null);
  /**
   * `done` once the first `fetchMe` settled, so route guards know whether `user` can be trusted;
   * `error` when the server could not be asked, and `user` is the one this browser last knew.
   */
  const status = ref<'idle' | 'loading' | 'done' | 'error'>('idle');
  /**
   * Why the last session ended, when the server said: `deactivated` (an admin deactivated or
   * banned the account). The sign-in page says so. Null when not known: a socket refused with
   * `unauthorized` says only that the session is gone (see `explainEnd`).
   */
  const endReason = ref<'deactivated' | null>(null);
  /** True while `explainEnd` waits for the server: the sign-in page holds its notice until it knows which. */
  const isExplainingEnd = ref(false);
  let pending: Promise<void> | null = null;
  let explaining: Promise<void> | null = null;

  /** Every change of user goes through here, so that this browser remembers who was signed in last. */
  function setUser(next: UserDto | null): void {
    user.value = next;
    saveLastUser(next);
  }

  /** Asks the server who we are, once; later calls share the first answer. */
  function ensureLoaded(): Promise<void> {
    pending ??= (async () => {
      status.value = 'loading';
      try {
        setUser(await auth.fetchMe());
        status.value = 'done';
      } catch (err) {
        if (isDeactivation(err)) {
          endReason.value = 'deactivated';
          setUser(null);
          status.value = 'done';
          return;
        }
        // Out of reach (offline, or the server or its proxy is down): go on as the user last signed
        // in here, so an installed app opens to where they were and says it is offline. The socket's
        // handshake checks the session once the server is back, and sends them to sign in if it
        // ended. Anything else: act signed out; the sign-in form will say why it cannot proceed.
        user.value = isUnreachable(err) ? loadLastUser() : null;
        status.value = 'error';
      }
    })();
    return pending;
  }

  async function signIn(payload: SignInPayload): Promise<void> {
    setUser(await auth.signIn(payload));
    endReason.value = null;
    status.value = 'done';
  }

  async function signUp(payload: RegisterPayload): Promise<void> {
    setUser(await auth.register(payload));
    endReason.value = null;
    status.value = 'done';
  }

  /**
   * After a session ended under us (the sockets were refused): asks the server, with the cookie
   * this browser still holds, whether it was because the account was deactivated. A server that
   * says only `unauthorized` leaves `endReason` null.
   */
  function explainEnd(): Promise<void> {
    explaining ??= (async () => {
      isExplainingEnd.value = true;
      try {
        await auth.fetchMe();
      } catch (err) {
        if (isDeactivation(err)) endReason.value = 'deactivated';
      } finally {
        isExplainingEnd.value = false;
        explaining = null;
      }
    })();
    return explaining;
  }

  /**
   * Reads the signed-in user again (`session:changed`: an admin changed their role), so that what
   * depends on the role (the menu's Administration, the admin screen) follows without a reload.
   * A session that ended meanwhile is left to the sockets' refusal, which signs out (realtime.ts).
   */
  async function refresh(): Promise<void> {
    const asked = user.value?.id;
    if (!asked) return;
    let fresh: UserDto | null;
    try {
      fresh = await auth.fetchMe();
    } catch (err) {
      if (isDeactivation(err)) endReason.value = 'deactivated';
      // Out of reach: the next session:changed, reconnection or reload asks again.
      return;
    }
    // Someone else may have signed in here while we asked: their answer is not ours.
    if (fresh && fresh.id === asked && user.value?.id === asked) setUser(fresh);
  }

  /**
   * Signs out and deletes what this user kept in this browser (unsent messages, drafts): signing
   * out is how someone leaves a shared computer. Ask first when `unsentCount()` is not zero.
   * A session that merely ended (`forget`) keeps them for the next sign-in.
   */
  async function signOut(): Promise<void> {
    const userId = user.value?.id;
    try {
      await auth.signOut();
    } finally {
      // Forget the user even if the server could not be told; the cookie is httpOnly, so this is all we can do.
      setUser(null);
      if (userId) {
        clearStoredOutbox(userId);
        clearStoredDrafts(userId);
      }
    }
  }

  /** How many messages the signed-in user wrote that have not gone out yet (every room, every tab). */
  function unsentCount(): number {
    return user.value ? storedOutboxCount(user.value.id) : 0;
  }

  /**
   * The same user goes on under a new session cookie; the server disconnects the old session's
   * sockets, and the realtime edge reconnects them with the new cookie.
   */
  async function changePassword(payload: ChangePasswordPayload): Promise<void> {
    setUser(await auth.changePassword(payload));
  }

  /** The server refused our session (expired or revoked): drop it without calling the server. */
  function forget(): void {
    setUser(null);
  }

  return { user, status, endReason, isExplainingEnd, ensureLoaded, signIn, signUp, explainEnd, refresh, signOut, unsentCount, changePassword, forget };
});

/** No answer from the server itself: the network failed, or a proxy in front of it answered 5xx. */
function isUnreachable(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 0 || err.status >= 500);
}

/** The server refused the session because its account was deactivated (or banned). */
function isDeactivation(err: unknown): boolean {
  return err instanceof ApiError && err.error.code === 'account_deactivated';
}
