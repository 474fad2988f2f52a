import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { UserDto } from '@confab/shared';
import { fetchMe } from './auth';
import { ApiError } from './http';
import { useSessionStore } from '../stores/session';
import { useUserStatesStore } from '../stores/userStates';
import { ALICE_USER, BOB } from '../testing/factories';
import { bindAccountEvents, createSessionEnd } from './accountRealtime';
import type { LobbySocket } from './socket';

vi.mock('./auth', () => ({ fetchMe: vi.fn() }));

/** Stands in for the `/lobby` socket: what the server sends is delivered to the listeners. */
function fakeSocket() {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const socket = {
    on(event: string, fn: (...args: unknown[]) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
    },
    off(event: string, fn: (...args: unknown[]) => void) {
      listeners.get(event)?.delete(fn);
    },
  };
  const receive = (event: string, ...args: unknown[]) => {
    for (const fn of listeners.get(event) ?? []) fn(...args);
  };
  return { socket: socket as unknown as LobbySocket, receive };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const deactivated = () => Promise.reject(new ApiError(403, { code: 'account_deactivated', message: 'This account is deactivated.' }));
const asAdmin: UserDto = { ...ALICE_USER, role: 'admin' };

beforeEach(() => {
  vi.resetAllMocks();
  localStorage.clear();
  setActivePinia(createPinia());
});

describe('account events on the lobby socket', () => {
  it('session:changed reads the user again, so the role on screen follows', async () => {
    const { socket, receive } = fakeSocket();
    const session = useSessionStore();
    session.user = { ...ALICE_USER, role: 'member' };
    bindAccountEvents(socket);
    vi.mocked(fetchMe).mockResolvedValue(asAdmin);
    receive('session:changed');
    await flush();
    expect(session.user).toEqual(asAdmin);
    expect(fetchMe).toHaveBeenCalledTimes(1);
  });

  it('an answer about someone else (another tab signed in meanwhile) is not taken as ours', async () => {
    const { socket, receive } = fakeSocket();
    const session = useSessionStore();
    session.user = { ...ALICE_USER, role: 'member' };
    bindAccountEvents(socket);
    vi.mocked(fetchMe).mockResolvedValue({ id: BOB.id, username: 'bob', displayName: BOB.name, role: 'admin' });
    receive('session:changed');
    await flush();
    expect(session.user).toEqual({ ...ALICE_USER, role: 'member' });
  });

  it('user:updated puts the mark on or off that user, over what messages said', () => {
    const { socket, receive } = fakeSocket();
    useSessionStore().user = ALICE_USER;
    const userStates = useUserStatesStore();
    bindAccountEvents(socket);
    receive('user:updated', { userId: BOB.id, deactivated: true });
    expect(userStates.isDeactivated(BOB.id, false)).toBe(true);
    receive('user:updated', { userId: BOB.id, deactivated: false });
    expect(userStates.isDeactivated(BOB.id, true)).toBe(false);
  });

  it('a reconnection reads the user again (a session:changed sent meanwhile was lost); the first connection does not', async () => {
    const { socket, receive } = fakeSocket();
    useSessionStore().user = { ...ALICE_USER, role: 'member' };
    bindAccountEvents(socket);
    vi.mocked(fetchMe).mockResolvedValue(asAdmin);
    receive('connect');
    await flush();
    expect(fetchMe).not.toHaveBeenCalled();
    receive('connect');
    await flush();
    expect(useSessionStore().user).toEqual(asAdmin);
  });

  it('once undone, hears nothing', () => {
    const { socket, receive } = fakeSocket();
    useSessionStore().user = ALICE_USER;
    const stop = bindAccountEvents(socket);
    stop();
    receive('user:updated', { userId: BOB.id, deactivated: true });
    receive('session:changed');
    expect(useUserStatesStore().isDeactivated(BOB.id, false)).toBe(false);
    expect(fetchMe).not.toHaveBeenCalled();
  });
});

describe('a session the server refused', () => {
  async function routerAt(path: string): Promise<Router> {
    const empty = { render: () => null };
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'lobby', component: empty },
        { path: '/c/:name', name: 'channel', component: empty },
        { path: '/signin', name: 'signin', component: empty },
      ],
    });
    await router.push(path);
    return router;
  }

  it("of a deactivated account: signs out, goes to sign in, and says why once the server said it, asking once for both sockets", async () => {
    const router = await routerAt('/c/general');
    const session = useSessionStore();
    session.user = ALICE_USER;
    let answer!: () => void;
    vi.mocked(fetchMe).mockImplementation(() => new Promise((_, reject) => (answer = () => reject(new ApiError(403, { code: 'account_deactivated', message: 'deactivated' })))));
    const onUnauthorized = createSessionEnd(router);
    onUnauthorized();
    onUnauthorized(); // the /dm socket's refusal
    await flush();
    expect(session.user).toBeNull();
    expect(router.currentRoute.value).toMatchObject({ name: 'signin', query: { redirect: '/c/general', expired: '1' } });
    // The sign-in page holds its notice until the server has answered.
    expect(session.isExplainingEnd).toBe(true);
    answer();
    await flush();
    expect(session.isExplainingEnd).toBe(false);
    expect(session.endReason).toBe('deactivated');
    expect(fetchMe).toHaveBeenCalledTimes(1);
  });

  it('that merely ended: signs out and gives no reason', async () => {
    const router = await routerAt('/');
    const session = useSessionStore();
    session.user = ALICE_USER;
    vi.mocked(fetchMe).mockResolvedValue(null);
    createSessionEnd(router)();
    await flush();
    expect(router.currentRoute.value).toMatchObject({ name: 'signin', query: { expired: '1' } });
    expect(session.endReason).toBeNull();
    expect(session.isExplainingEnd).toBe(false);
  });

  it('session:changed for an account deactivated meanwhile keeps the user until the sockets are refused, and remembers why', async () => {
    const { socket, receive } = fakeSocket();
    const session = useSessionStore();
    session.user = ALICE_USER;
    bindAccountEvents(socket);
    vi.mocked(fetchMe).mockImplementation(deactivated);
    receive('session:changed');
    await flush();
    expect(session.user).toEqual(ALICE_USER);
    expect(session.endReason).toBe('deactivated');
  });
});
