import type {
  Ack,
  LobbyClientToServerEvents,
  LobbyServerToClientEvents,
  RegisterPayload,
  UserDto,
} from '@confab/shared';
import { io, type Socket } from 'socket.io-client';

export type LobbyClient = Socket<LobbyServerToClientEvents, LobbyClientToServerEvents>;

export interface TestUser {
  user: UserDto;
  /** `confab_session=…`, ready for a Cookie header. */
  cookie: string;
}

let counter = 0;
/** A username no other test in this process uses. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 7)}`;
}

export async function postJson(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export function sessionCookieFrom(headers: Headers): string {
  const setCookie = headers.getSetCookie().find((c) => c.startsWith('confab_session='));
  if (!setCookie) throw new Error('no session cookie was set');
  return setCookie.split(';')[0]!;
}

/** Registers a fresh user over HTTP and returns it with its session cookie. */
export async function registerUser(baseUrl: string, overrides: Partial<RegisterPayload> = {}): Promise<TestUser> {
  const res = await postJson(baseUrl, '/api/auth/register', {
    username: uniqueName(),
    password: 'correct horse battery',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  // Without the role only session responses carry, so the user compares equal to how others see them.
  const { role: _role, ...user } = res.body.user as UserDto;
  return { user, cookie: sessionCookieFrom(res.headers) };
}

/** An unconnected lobby socket; headers go on the handshake (Node's client can set Cookie and Origin). */
export function lobbyClient(baseUrl: string, headers: Record<string, string> = {}, transports: ('websocket' | 'polling')[] = ['websocket']): LobbyClient {
  return io(`${baseUrl}/lobby`, {
    autoConnect: false,
    reconnection: false,
    // Its own connection: socket.io-client would otherwise reuse a cached one, and with it the
    // Cookie of whichever socket opened it first.
    forceNew: true,
    transports,
    extraHeaders: headers,
  });
}

/** Connects a lobby socket for the user and resolves once the server accepted it. */
export async function connectLobby(baseUrl: string, user: TestUser, headers: Record<string, string> = {}): Promise<LobbyClient> {
  const socket = lobbyClient(baseUrl, { cookie: user.cookie, ...headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  return socket;
}

/**
 * Connects a lobby socket and resolves once it has its presence snapshot: from then on it hears
 * every presence change (one made before is in the snapshot, not in a batch).
 */
export async function connectObserver(baseUrl: string, user: TestUser): Promise<LobbyClient> {
  const socket = lobbyClient(baseUrl, { cookie: user.cookie });
  const snapshot = new Promise<void>((resolve) => socket.once('presence:snapshot', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  await snapshot;
  return socket;
}

/** The `connect_error` a refused handshake produces. */
export function connectError(socket: LobbyClient): Promise<Error & { data?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the handshake was accepted')));
    socket.once('connect_error', (err) => resolve(err as Error & { data?: { code: string; message: string } }));
    socket.connect();
  });
}

/** Emits with an ack and a timeout, so a missing ack fails the test instead of hanging it. */
export function request<T>(socket: LobbyClient, event: string, ...args: unknown[]): Promise<Ack<T>> {
  // Untyped on purpose: the tests send payloads the protocol forbids.
  return (socket.timeout(5_000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<Ack<T>> }).emitWithAck(event, ...args);
}

/** Resolves with the reason once the socket disconnects. */
export function disconnected(socket: { once(event: 'disconnect', listener: (reason: string) => void): unknown }): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', resolve));
}

/** Records every `message:new` a socket receives. */
export function recordMessages(socket: LobbyClient) {
  const received: Parameters<LobbyServerToClientEvents['message:new']>[0][] = [];
  socket.on('message:new', (m) => received.push(m));
  return received;
}

/** Resolves when `check` passes, polling; rejects with the last failure after `timeoutMs`. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Lets in-flight events arrive, before asserting that something did NOT happen. */
export function settle(ms = 150): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A round trip on the observer's own connection. Packets on one connection arrive in order, so once
 * this resolves, any broadcast the server made before it (for an event already acked) has arrived.
 * Resolves with the room's stored messages.
 */
export async function roundTrip(observer: LobbyClient) {
  const res = await request<{ messages: { id: string; seq: number; body: string }[]; hasMore: boolean }>(observer, 'message:sync', { afterSeq: 0 });
  if (!res.ok) throw new Error(`sync failed: ${res.error.code}`);
  return res.data.messages;
}
