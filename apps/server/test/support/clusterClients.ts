import type { MessageDto, MessagePage } from '@confab/shared';
import { io } from 'socket.io-client';
import { request, type LobbyClient, type TestUser } from './client.js';

export type Transport = 'websocket' | 'polling';

/**
 * Connects a `/lobby` socket as a browser behind nginx would: with the given transports (both,
 * in socket.io's order, means "start polling, then upgrade") and, optionally, an Origin header.
 */
export async function connectLobbyVia(
  baseUrl: string,
  user: TestUser,
  options: { transports?: Transport[]; origin?: string } = {},
): Promise<LobbyClient> {
  const socket: LobbyClient = io(`${baseUrl}/lobby`, {
    autoConnect: false,
    reconnection: false,
    transports: options.transports ?? ['polling', 'websocket'],
    extraHeaders: { cookie: user.cookie, ...(options.origin ? { origin: options.origin } : {}) },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  return socket;
}

/** The transport a connected socket uses now. */
export function transportOf(socket: LobbyClient): string {
  return socket.io.engine.transport.name;
}

/** The lobby's highest seq right now (0 when empty). */
export async function latestSeq(socket: LobbyClient): Promise<number> {
  const res = await request<MessagePage>(socket, 'message:history', { limit: 1 });
  if (!res.ok) throw new Error(`history failed: ${res.error.code}`);
  return res.data.messages.at(-1)?.seq ?? 0;
}

/** Every lobby message after `afterSeq`, paging through `message:sync`. */
export async function syncAll(socket: LobbyClient, afterSeq: number): Promise<MessageDto[]> {
  const messages: MessageDto[] = [];
  for (let after = afterSeq; ; ) {
    const res = await request<MessagePage>(socket, 'message:sync', { afterSeq: after });
    if (!res.ok) throw new Error(`sync failed: ${res.error.code}`);
    messages.push(...res.data.messages);
    if (!res.data.hasMore || res.data.messages.length === 0) return messages;
    after = res.data.messages.at(-1)!.seq;
  }
}

/**
 * One client's view of the lobby from `baseSeq` on, built as the protocol tells a client to
 * build it: live `message:new` events plus `message:sync` from the highest contiguous seq, each
 * message placed by seq. It records what a client must never see: the same message delivered
 * live twice on one connection, or two different messages at one seq.
 */
export class LobbyView {
  private readonly bySeq = new Map<number, MessageDto>();
  /** Live deliveries of a message this connection had already received live. */
  readonly duplicates: MessageDto[] = [];
  /** Two different messages claiming one seq. */
  readonly conflicts: [MessageDto, MessageDto][] = [];

  constructor(private readonly baseSeq: number) {}

  /** Records the socket's live messages; call before the socket can receive any. */
  listen(socket: LobbyClient): void {
    const seenLive = new Set<string>();
    socket.on('message:new', (message) => {
      if (seenLive.has(message.id)) this.duplicates.push(message);
      seenLive.add(message.id);
      this.place(message);
    });
  }

  /** Fills gaps the way a client does after a (re)connect: sync from the highest contiguous seq. */
  async catchUp(socket: LobbyClient): Promise<void> {
    for (const message of await syncAll(socket, this.contiguousUpTo())) this.place(message);
  }

  /** The view in seq order. */
  messages(): MessageDto[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  has(id: string): boolean {
    return this.messages().some((m) => m.id === id);
  }

  private contiguousUpTo(): number {
    let seq = this.baseSeq;
    while (this.bySeq.has(seq + 1)) seq += 1;
    return seq;
  }

  private place(message: MessageDto): void {
    if (message.seq <= this.baseSeq) return;
    const held = this.bySeq.get(message.seq);
    if (held && held.id !== message.id) this.conflicts.push([held, message]);
    if (!held) this.bySeq.set(message.seq, message);
  }
}
