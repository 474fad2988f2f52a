import { sleep } from './stats.js';
import { numberField, WireClient, type WireOptions } from './wire.js';

interface SyncAck {
  ok: boolean;
  data?: { messages: { seq: number }[]; hasMore: boolean };
  error?: { code: string };
}

/**
 * socket.io-client's default reconnection backoff (reconnectionDelay 1 s, doubling up to 5 s,
 * randomization 0.5), which is what a browser does after losing its server.
 */
function reconnectDelay(attempt: number): number {
  const base = Math.min(1000 * 2 ** (attempt - 1), 5000);
  return base * (0.5 + Math.random());
}

/**
 * A lobby member that keeps every seq it has seen, live or by catching up: after a lost
 * connection it connects to `fallbackUrl` and asks for everything after the last seq it holds
 * without a gap, page by page, as Confab's web app does.
 */
export class CatchingUpMember {
  readonly held = new Set<number>();
  #contiguous = 0;
  /** When it last finished catching up after a reconnect (performance.now()); undefined before. */
  caughtUpAt: number | undefined;
  error: string | undefined;
  #client: WireClient | undefined;

  constructor(readonly connectOptions: WireOptions) {}

  /** Everything up to `seq` is held. */
  holdsUpTo(seq: number): boolean {
    this.#advance();
    return this.#contiguous >= seq;
  }

  async join(url: string, fallbackUrl?: string): Promise<void> {
    this.#client = await WireClient.open(url, '/lobby', this.connectOptions);
    this.#client.on('message:new', (packet) => this.#hold(numberField(packet, 'seq')));
    if (fallbackUrl) this.#client.onClose(() => void this.#rejoin(fallbackUrl));
  }

  close(): void {
    this.#client?.terminate();
  }

  async #rejoin(url: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await sleep(reconnectDelay(attempt));
      try {
        await this.join(url);
        await this.#catchUp();
        this.caughtUpAt = performance.now();
        return;
      } catch (err) {
        this.#client?.terminate();
        if (attempt >= 10) {
          this.error = (err as Error).message;
          return;
        }
      }
    }
  }

  async #catchUp(): Promise<void> {
    for (;;) {
      this.#advance();
      const ack = await this.#client!.request<SyncAck>('message:sync', { afterSeq: this.#contiguous });
      if (!ack.ok || !ack.data) throw new Error(`sync refused: ${ack.error?.code}`);
      for (const message of ack.data.messages) this.#hold(message.seq);
      if (!ack.data.hasMore) return;
    }
  }

  #hold(seq: number | undefined): void {
    if (seq !== undefined) this.held.add(seq);
  }

  #advance(): void {
    while (this.held.has(this.#contiguous + 1)) this.#contiguous += 1;
  }
}
