import { LOBBY_ROOM_ID, dmRoomId, type Ack, type MessageDto, type MessagePage, type RoomSummaryDto } from '@confab/shared';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { afterEach, expect } from 'vitest';
import { createMemoryStores, type RunningServer, type StartServerOptions, type Stores } from '../../src/testing.js';
import { eventually, registerUser, settle, type TestUser } from './client.js';
import type { RedisServer } from './redisServer.js';
import type { useServer } from './server.js';
import { visibleState, type VisibleState } from './visibleState.js';

export { malloryOffline, visibleState, type VisibleState } from './visibleState.js';

// Helpers for attackSuite.test.ts: two instances sharing one store and one Redis, three users
// (Mallory attacks; Alice and Bob are the victims and the witnesses), and one check that an
// attack left no trace while the others can still chat.

export const SECRET = 'attack-suite-session-secret-0123456789abcdef';


const opened: Socket[] = [];
const rawSockets: WebSocket[] = [];
const worldStores: Stores[] = [];
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.disconnect();
  for (const ws of rawSockets.splice(0)) ws.terminate();
  // Its uploads' temporary folder goes with it.
  for (const stores of worldStores.splice(0)) await stores.close();
});

/**
 * An unconnected socket on its own connection. forceNew matters: socket.io-client otherwise
 * reuses a cached Manager, and with it another user's Cookie header, for a second namespace.
 */
export function openSocket(url: string, nsp: string, headers: Record<string, string> = {}): Socket {
  const socket = io(`${url}${nsp}`, { autoConnect: false, reconnection: false, forceNew: true, transports: ['websocket'], extraHeaders: headers });
  opened.push(socket);
  return socket;
}

export async function connect(url: string, nsp: '/lobby' | '/dm', user: TestUser): Promise<Socket> {
  const socket = openSocket(url, nsp, { cookie: user.cookie });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
  return socket;
}

export type ConnectError = Error & { data?: { code: string; message: string } };

/** Resolves with the `connect_error` of a handshake that must be refused. */
export function refusal(socket: Socket): Promise<ConnectError> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the handshake was accepted')));
    socket.once('connect_error', (err) => resolve(err as ConnectError));
    socket.connect();
  });
}

/**
 * A namespace handshake that must be refused, written by hand over a raw Engine.IO WebSocket
 * (as a hostile client could), which stays open after the refusal so that an event can still
 * be written for the refused namespace.
 */
export async function refusedOnOpenConnection(url: string, nsp: string, headers: Record<string, string>) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
  rawSockets.push(ws);
  const packets: string[] = [];
  let waiter: { resolve: (packet: string) => void; reject: (err: Error) => void } | undefined;
  const next = (): Promise<string> =>
    packets.length > 0 ? Promise.resolve(packets.shift()!) : new Promise((resolve, reject) => (waiter = { resolve, reject }));
  ws.on('message', (data) => {
    const text = String(data);
    if (text === '2') return ws.send('3'); // Engine.IO ping → pong
    if (waiter) waiter.resolve(text);
    else packets.push(text);
    waiter = undefined;
  });
  ws.on('close', () => waiter?.reject(new Error('the connection closed')));
  const open = await next();
  expect(open.startsWith('0{')).toBe(true);
  ws.send(`40${nsp},`);
  const answer = await next();
  // CONNECT_ERROR: "44/nsp,{...}"
  expect(answer.startsWith(`44${nsp},`)).toBe(true);
  const error = JSON.parse(answer.slice(`44${nsp},`.length)) as { message: string; data?: { code: string; message: string } };
  return {
    error,
    /** Writes a raw EVENT packet for the refused namespace; resolves with how the connection then ended. */
    sneak(data: unknown[]): Promise<string> {
      const closed = new Promise<string>((resolve) => ws.once('close', () => resolve('transport close')));
      ws.send(`42${nsp},${JSON.stringify(data)}`);
      return closed;
    },
  };
}

/**
 * A raw Engine.IO long-polling session, driven by hand as a hostile client could: `send` writes
 * packets in one POST (joined by the record separator), `receive` polls until `isDone` holds.
 */
export async function pollingSession(url: string, headers: Record<string, string>) {
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base, { headers })).text();
  expect(open.startsWith('0{')).toBe(true);
  const { sid } = JSON.parse(open.slice(1)) as { sid: string };
  const at = `${base}&sid=${encodeURIComponent(sid)}`;
  const received: string[] = [];
  async function send(packets: string[]): Promise<void> {
    const res = await fetch(at, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body: packets.join('\x1e') });
    expect(await res.text()).toBe('ok');
  }
  return {
    sid,
    /** Every packet received so far, in order. */
    received,
    send,
    async receive(isDone: (packets: string[]) => boolean): Promise<string[]> {
      while (!isDone(received)) {
        const packets = (await (await fetch(at, { headers })).text()).split('\x1e');
        if (packets.includes('2')) await send(['3']); // Engine.IO ping → pong
        received.push(...packets.filter((p) => p !== '2' && p !== '6'));
      }
      return received;
    },
  };
}

/** Emits with an ack and a timeout; untyped, since attacks send what the protocol forbids. */
export function ask<T = unknown>(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<T>> {
  return socket.timeout(5_000).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

/** `'ok'` or the error code, so a list of acks reads as one line in a failure. */
export function outcome(ack: Ack<unknown>): string {
  return ack.ok ? 'ok' : ack.error.code;
}

export const invalid = (field: string) => ({ ok: false, error: { code: 'invalid_payload', field, message: expect.any(String) } });

/** The one answer to a request about a room the caller is not a member of, whether or not it exists. */
export const NOT_A_PARTICIPANT = { ok: false, error: { code: 'forbidden', message: 'You are not a member of this room.' } };

/** Every server→client event of these names, as `event payload-json`, in arrival order. */
function record(socket: Socket, events: string[], into: string[]): void {
  for (const event of events) socket.on(event, (payload: unknown) => into.push(`${event} ${JSON.stringify(payload)}`));
}

export interface World {
  a: RunningServer;
  b: RunningServer;
  stores: Stores;
  /** Moves the servers' clock (not the rate limiters', which use real time). */
  clock: { offsetMs: number };
  mallory: TestUser;
  alice: TestUser;
  bob: TestUser;
  /** Mallory's sockets, both on A. */
  malloryLobby: Socket;
  malloryDm: Socket;
  /** Alice on A, Bob on B. */
  aliceLobby: Socket;
  bobLobby: Socket;
  aliceDm: Socket;
  bobDm: Socket;
  /** Alice and Bob's DM room, and what it and the lobby legitimately hold. */
  pairRoom: string;
  lobbyMessages: MessageDto[];
  pairMessages: MessageDto[];
  /** Alice's private channel, to which she invited Bob, and what it legitimately holds (its event entries included). */
  privateRoom: string;
  privateMessages: MessageDto[];
  /** What Bob's lobby socket and Alice's and Bob's DM sockets have heard since the seed. */
  heard: string[];
  /**
   * Asserts that whatever was just attempted left no trace: the whole visible state is as it
   * was (see `visibleState`; `changed` describes what a case legitimately changed, such as
   * Mallory going offline when her connection is closed), nothing new was broadcast to the
   * witnesses, nothing was stored anywhere Mallory could write, and Alice and Bob still chat.
   */
  expectNoEffect(options?: { changed?: (before: VisibleState) => VisibleState }): Promise<void>;
  /** Takes the state as it is now as what `expectNoEffect` compares with: after a legitimate action. */
  rebaseline(): Promise<void>;
}

/** Two instances on one memory store and one Redis; Alice has posted in the lobby and written to Bob. */
export async function createWorld(
  harness: ReturnType<typeof useServer>,
  redis: RedisServer,
  options: { config?: StartServerOptions['config'] } = {},
): Promise<World> {
  const stores = createMemoryStores();
  worldStores.push(stores);
  const clock = { offsetMs: 0 };
  const start = () =>
    harness.start({ stores, redisUrl: redis.url, now: () => new Date(Date.now() + clock.offsetMs), config: { sessionSecret: SECRET, ...options.config } });
  const [a, b] = [await start(), await start()];
  // The server's first account becomes its admin: an operator takes it, so that Mallory, Alice
  // and Bob are all members (admins may remove any message, which a member must not).
  await a.seedUser('operator');
  const [mallory, alice, bob] = await Promise.all(['Mallory', 'Alice', 'Bob'].map((displayName) => registerUser(a.url, { displayName })));
  const [malloryLobby, aliceLobby, bobLobby, malloryDm, aliceDm, bobDm] = await Promise.all([
    connect(a.url, '/lobby', mallory!),
    connect(a.url, '/lobby', alice!),
    connect(b.url, '/lobby', bob!),
    connect(a.url, '/dm', mallory!),
    connect(a.url, '/dm', alice!),
    connect(b.url, '/dm', bob!),
  ]);
  const pairRoom = dmRoomId(alice!.user.id, bob!.user.id);
  const lobbyMessages = [succeeded(await ask<MessageDto>(aliceLobby!, 'message:send', { clientId: 'seed-lobby', body: 'hello lobby' }))];
  const pairMessages = [succeeded(await ask<MessageDto>(aliceDm!, 'dm:send', { to: bob!.user.id, clientId: 'seed-dm', body: 'secret for Bob' }))];
  const privateRoom = succeeded(await ask<RoomSummaryDto>(aliceDm!, 'channel:create', { name: 'alice-bob', topic: 'just us', private: true })).room.id;
  succeeded(await ask(aliceDm!, 'room:invite', { roomId: privateRoom, userIds: [bob!.user.id] }));
  // Bob writes it: Alice's seed and fence take exactly the points the rate-limit test gives her.
  succeeded(await ask<MessageDto>(bobDm!, 'dm:send', { roomId: privateRoom, clientId: 'seed-private', body: 'private plans' }));
  const privateMessages = await sync(aliceDm!, privateRoom);
  // The seed's own broadcasts must be in before recording starts.
  await eventually(async () => expect((await sync(bobLobby!)).map((m) => m.id)).toEqual(lobbyMessages.map((m) => m.id)));
  await settle();

  const heard: string[] = [];
  record(bobLobby!, ['message:new', 'typing'], heard);
  for (const socket of [aliceDm!, bobDm!]) record(socket, ['dm:message', 'dm:read', 'typing', 'conversation:update', 'room:update', 'room:removed'], heard);

  let fences = 0;
  let baseline: VisibleState;
  const world: World = {
    a,
    b,
    stores,
    clock,
    mallory: mallory!,
    alice: alice!,
    bob: bob!,
    malloryLobby: malloryLobby!,
    malloryDm: malloryDm!,
    aliceLobby: aliceLobby!,
    bobLobby: bobLobby!,
    aliceDm: aliceDm!,
    bobDm: bobDm!,
    pairRoom,
    lobbyMessages,
    pairMessages,
    privateRoom,
    privateMessages,
    heard,
    async rebaseline() {
      await settle();
      baseline = await visibleState(world);
    },
    async expectNoEffect(options = {}) {
      await settle();
      const expected = options.changed ? options.changed(baseline) : baseline;
      // Eventually: a legitimate change (presence after a closed connection) lands asynchronously.
      await eventually(async () => expect(await visibleState(world)).toEqual(expected));
      fences += 1;
      // Alice (on A, like Mallory) and Bob (on B) chat; their traffic follows any of Mallory's
      // on the same paths, so once it has arrived, anything Mallory caused has too.
      const inLobby = succeeded(await ask<MessageDto>(world.aliceLobby, 'message:send', { clientId: `fence-${fences}`, body: `fence ${fences}` }));
      const inPair = succeeded(await ask<MessageDto>(world.bobDm, 'dm:send', { to: world.alice.user.id, clientId: `dm-fence-${fences}`, body: `dm fence ${fences}` }));
      world.lobbyMessages.push(inLobby);
      world.pairMessages.push(inPair);
      // Writing in the lobby moves Alice's read mark there, which her /dm hears.
      const aliceMark = `dm:read ${JSON.stringify({ roomId: LOBBY_ROOM_ID, userId: world.alice.user.id, seq: inLobby.seq })}`;
      const isFence = (entry: string) => entry.includes(inLobby.id) || entry.includes(inPair.id) || entry === aliceMark;
      // Bob's lobby hears the lobby fence; Alice's /dm her lobby mark; Alice's and Bob's /dm each hear the DM fence and its conversation update.
      await eventually(() => expect(heard.filter(isFence)).toHaveLength(6));
      await settle(50);
      expect(heard.filter((entry) => !isFence(entry))).toEqual([]);
      heard.length = 0;

      expect(await sync(world.bobLobby)).toEqual(world.lobbyMessages);
      expect(await sync(world.aliceDm, world.pairRoom)).toEqual(world.pairMessages);
      // Mallory's own rooms were compared with the baseline above, with everything else she could see.
      baseline = await visibleState(world);
    },
  };
  baseline = await visibleState(world);
  return world;
}

export function succeeded<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected success, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** A room's whole stream as a participant reads it: the lobby, or a DM room. */
export async function sync(socket: Socket, roomId?: string): Promise<MessageDto[]> {
  const res = roomId ? await ask<MessagePage>(socket, 'dm:sync', { roomId, afterSeq: 0 }) : await ask<MessagePage>(socket, 'message:sync', { afterSeq: 0 });
  return succeeded(res).messages;
}

/** Resolves with the disconnect reason, or rejects after `ms`. */
export function disconnection(socket: Socket, ms = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
