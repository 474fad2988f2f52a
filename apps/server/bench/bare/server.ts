import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { trackConnections, type Instance } from '../harness/instance.js';
import type { BareMessage, MessageLog } from './log.js';

// The same work as Confab, with nothing else: the lobby broadcasts each message to everyone and
// acks it; a DM goes to a room of two; catch-up reads a log. Same event names and payload shapes
// as Confab's, so one load generator drives both. No sign-in: it accepts anyone.

export interface BareOptions {
  redisUrl?: string;
  /** Keeps messages for `message:sync` (the reconnect scenario); without it seqs are per instance. */
  log?: MessageLog;
  /** Stores each message before acking it (the db scenario). */
  store?: (message: BareMessage) => Promise<void>;
}

type Ack = (response: unknown) => void;

/** Socket.IO 4 with its defaults (same heartbeat as Confab's) and Confab's frame limit. */
export async function startBare(options: BareOptions): Promise<Instance> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  let redisClose = async () => {};
  if (options.redisUrl) {
    const publisher = createClient({ url: options.redisUrl });
    const subscriber = publisher.duplicate();
    await Promise.all([publisher.connect(), subscriber.connect()]);
    io.adapter(createAdapter(publisher, subscriber));
    redisClose = async () => void (await Promise.allSettled([publisher.close(), subscriber.close()]));
  }
  let nextSeq = 0;
  const record = async (message: Omit<BareMessage, 'seq'>): Promise<BareMessage> => {
    const stored = options.log ? options.log.append(message) : { ...message, seq: ++nextSeq };
    await options.store?.(stored);
    return stored;
  };
  const newMessage = (roomId: string, authorId: string, payload: { clientId: string; body: string }) => ({
    id: randomUUID(),
    roomId,
    clientId: payload.clientId,
    author: { id: authorId, name: 'bare' },
    body: payload.body,
    createdAt: new Date().toISOString(),
  });

  const lobby = io.of('/lobby');
  lobby.on('connection', (socket) => {
    socket.join('lobby');
    socket.on('message:send', async (payload: { clientId: string; body: string }, ack: Ack) => {
      const message = await record(newMessage('lobby', socket.id, payload));
      lobby.to('lobby').emit('message:new', message);
      ack({ ok: true, data: message });
    });
    socket.on('message:sync', (payload: { afterSeq: number }, ack: Ack) => {
      ack({ ok: true, data: options.log?.since('lobby', payload.afterSeq, 200) ?? { messages: [], hasMore: false } });
    });
  });

  const dm = io.of('/dm');
  dm.on('connection', (socket) => {
    const room = String((socket.handshake.auth as { room?: string }).room);
    socket.join(room);
    socket.on('dm:send', async (payload: { to: string; clientId: string; body: string }, ack: Ack) => {
      const message = await record(newMessage(room, socket.id, payload));
      dm.to(room).emit('dm:message', message);
      ack({ ok: true, data: message });
    });
  });

  const connections = trackConnections(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redisClose();
    })());
  return {
    url: `http://127.0.0.1:${port}`,
    close,
    async crash() {
      connections.destroyAll();
      await close();
    },
  };
}
