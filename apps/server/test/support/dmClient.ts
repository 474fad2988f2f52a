import type { Ack, DmClientToServerEvents, DmServerToClientEvents } from '@confab/shared';
import { io, type Socket } from 'socket.io-client';
import type { TestUser } from './client.js';

export type DmClient = Socket<DmServerToClientEvents, DmClientToServerEvents>;

/** Connects a `/dm` socket for the user and resolves once the server accepted it. */
export async function connectDm(baseUrl: string, user: TestUser): Promise<DmClient> {
  const socket: DmClient = io(`${baseUrl}/dm`, {
    autoConnect: false,
    reconnection: false,
    // Its own connection: socket.io-client would otherwise reuse a cached one, and with it the
    // Cookie of whichever socket opened it first.
    forceNew: true,
    transports: ['websocket'],
    extraHeaders: { cookie: user.cookie },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  return socket;
}

/** Emits with an ack and a timeout; untyped, since tests also send what the protocol forbids. */
export function dmRequest<T>(socket: DmClient, event: string, payload: unknown): Promise<Ack<T>> {
  return (socket.timeout(5_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(event, payload);
}

/** Records every event of the given name a socket receives. */
export function recordDm<E extends keyof DmServerToClientEvents>(socket: DmClient, event: E) {
  const received: Parameters<DmServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<DmServerToClientEvents[E]>[0]) => received.push(payload)) as never);
  return received;
}

/** A round trip on the socket's own connection: broadcasts sent before it have arrived once it resolves. */
export async function dmRoundTrip(socket: DmClient): Promise<void> {
  const res = await dmRequest(socket, 'dm:conversations', {});
  if (!res.ok) throw new Error(`round trip failed: ${res.error.code}`);
}
