import type { MessageDto } from '@confab/shared';
import { uniqueName, type LobbyClient, type TestUser } from './client.js';
import { connectLobbyVia, LobbyView } from './clusterClients.js';

/** A message the client has sent and not yet seen acked; it is resent, with the same clientId, until it is. */
interface Pending {
  clientId: string;
  body: string;
}

/**
 * One chatty lobby tab, as the web app behaves: it sends on a timer without waiting for acks,
 * keeps every unacked send, and after losing its connection reconnects through `reconnectUrl`,
 * catches up with `message:sync` and resends what is still unacked under the original clientId.
 */
export class ChattyClient {
  readonly view: LobbyView;
  /** Acked messages by clientId: what the server promised to have stored. */
  readonly acked = new Map<string, MessageDto>();
  /** Acks that named a different message for a clientId acked before. */
  readonly ackConflicts: [MessageDto, MessageDto][] = [];
  /** Sends answered with an error (each one is retried), and why. */
  failedSends = 0;
  readonly failures = new Map<string, number>();
  reconnects = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly tag = uniqueName('t');
  private sentCount = 0;
  /** False between losing a connection and having caught up on the next one: sends wait in `pending`. */
  private isReady = true;
  private timer: NodeJS.Timeout | undefined;
  private reconnecting: Promise<void> | undefined;

  constructor(
    readonly user: TestUser,
    public socket: LobbyClient,
    baseSeq: number,
    private readonly reconnectUrl: string,
    private readonly onSocket: (socket: LobbyClient) => void,
  ) {
    this.view = new LobbyView(baseSeq);
    this.view.listen(socket);
    this.attach(socket);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends one message every `minMs`..`maxMs` (jittered) until `stop()`. */
  start(minMs: number, maxMs: number): void {
    const tick = () => {
      this.sentCount += 1;
      const clientId = `${this.tag}-${this.sentCount}`;
      const message = { clientId, body: `message ${this.sentCount} from ${this.tag}` };
      this.pending.set(clientId, message);
      if (this.isReady) this.emit(message);
      this.timer = setTimeout(tick, minMs + Math.random() * (maxMs - minMs));
    };
    this.timer = setTimeout(tick, Math.random() * maxMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Resolves once the client is connected and has nothing left unacked. */
  async drained(): Promise<void> {
    while (this.reconnecting || this.pending.size > 0) {
      await (this.reconnecting ?? new Promise((r) => setTimeout(r, 50)));
    }
  }

  /** Makes `socket` the client's connection; the view must already listen to it. */
  private attach(socket: LobbyClient): void {
    this.socket = socket;
    socket.on('disconnect', () => this.lost(socket));
  }

  private lost(socket: LobbyClient): void {
    if (socket !== this.socket || this.reconnecting) return;
    this.isReady = false;
    this.reconnecting = this.reconnect().finally(() => (this.reconnecting = undefined));
  }

  private emit(message: Pending): void {
    const socket = this.socket;
    // No timeout: on a live connection the ack comes, however late, and resending would only
    // queue more work on a loaded server. Acks lost with a connection are resent after reconnecting.
    socket.emit('message:send', message, (res) => {
      if (socket !== this.socket || !this.pending.has(message.clientId)) return;
      if (!res.ok) {
        this.failedSends += 1;
        const reason = `${res.error.code}: ${res.error.message}`;
        this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
        setTimeout(() => this.pending.has(message.clientId) && this.isReady && socket === this.socket && this.emit(message), 250);
        return;
      }
      const earlier = this.acked.get(message.clientId);
      if (earlier && earlier.id !== res.data.id) this.ackConflicts.push([earlier, res.data]);
      this.acked.set(message.clientId, res.data);
      this.pending.delete(message.clientId);
    });
  }

  private async reconnect(): Promise<void> {
    for (;;) {
      const socket = await connectLobbyVia(this.reconnectUrl, this.user, { transports: ['websocket'] }).catch(() => undefined);
      if (socket) {
        this.onSocket(socket);
        this.view.listen(socket);
        try {
          await this.view.catchUp(socket);
          if (!socket.connected) continue;
          this.reconnects += 1;
          this.attach(socket);
          this.isReady = true;
          for (const message of this.pending.values()) this.emit(message);
          return;
        } catch {
          socket.disconnect();
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
