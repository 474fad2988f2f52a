import { WebSocket } from 'ws';

// A Socket.IO client (protocol 5 over Engine.IO 4, WebSocket only, text packets only) for the
// load generator. socket.io-client decodes every packet it receives; at 100k deliveries/s, or
// with presence traffic growing with the square of the users online, that alone would saturate
// the load generator's core and the benchmark would measure itself. This client only looks at
// packets something listens for, and leaves the parsing of those to the listener.

export interface WireOptions {
  /** Sent on the WebSocket upgrade (Confab reads its session from the Cookie). */
  headers?: Record<string, string>;
  /** The CONNECT packet's payload (`socket.handshake.auth`). */
  auth?: unknown;
  timeoutMs?: number;
}

/** A refused CONNECT: the server's `connect_error`. */
export class ConnectRefused extends Error {
  constructor(readonly data: unknown) {
    super(`connect_error: ${JSON.stringify(data)}`);
  }
}

/** Receives the whole packet text; `argsAt` is where the event's JSON array starts. */
export type PacketListener = (packet: string, argsAt: number) => void;

export class WireClient {
  readonly #ws: WebSocket;
  /** `42/lobby,`: what every event packet of this namespace starts with. */
  readonly #eventPrefix: string;
  readonly #ackPrefix: string;
  readonly #listeners = new Map<string, PacketListener>();
  readonly #acks = new Map<number, { resolve(value: unknown): void; reject(err: Error): void; timer: NodeJS.Timeout }>();
  #nextAckId = 1;
  #isClosed = false;
  #closeListeners: ((reason: string) => void)[] = [];

  private constructor(ws: WebSocket, readonly nsp: string) {
    this.#ws = ws;
    this.#eventPrefix = `42${nsp},`;
    this.#ackPrefix = `43${nsp},`;
  }

  /** Opens a WebSocket to `baseUrl` and connects to `nsp`; rejects with `ConnectRefused` when refused. */
  static open(baseUrl: string, nsp: string, options: WireOptions = {}): Promise<WireClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      headers: options.headers ?? {},
      perMessageDeflate: false,
    });
    const client = new WireClient(ws, nsp);
    return new Promise<WireClient>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`no CONNECT to ${nsp} within ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
      const fail = (err: Error) => {
        clearTimeout(timer);
        ws.terminate();
        reject(err);
      };
      ws.on('error', (err) => fail(err));
      ws.on('message', function handshake(data: Buffer) {
        const packet = data.toString();
        if (packet.startsWith('0')) {
          ws.send(`40${nsp},${options.auth === undefined ? '' : JSON.stringify(options.auth)}`);
        } else if (packet.startsWith(`40${nsp},`)) {
          clearTimeout(timer);
          ws.off('message', handshake);
          ws.removeAllListeners('error');
          ws.removeAllListeners('close');
          client.#listen();
          resolve(client);
        } else if (packet.startsWith(`44${nsp},`)) {
          fail(new ConnectRefused(JSON.parse(packet.slice(nsp.length + 3))));
        } else if (packet === '2') {
          ws.send('3');
        }
      });
      ws.on('close', () => fail(new Error('closed during the handshake')));
    });
  }

  get isOpen(): boolean {
    return !this.#isClosed;
  }

  /** Calls `listener` for every `event` packet; packets nobody listens for are never parsed. */
  on(event: string, listener: PacketListener): this {
    this.#listeners.set(event, listener);
    return this;
  }

  onClose(listener: (reason: string) => void): this {
    this.#closeListeners.push(listener);
    return this;
  }

  emit(event: string, payload: unknown): void {
    this.#ws.send(`${this.#eventPrefix}${JSON.stringify([event, payload])}`);
  }

  /** Emits with an ack; resolves with the ack's first argument. */
  request<T = unknown>(event: string, payload: unknown, timeoutMs = 30_000): Promise<T> {
    const id = this.#nextAckId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#isClosed) return reject(new Error('closed'));
      const timer = setTimeout(() => {
        this.#acks.delete(id);
        reject(new Error(`no ack for ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#acks.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.#ws.send(`${this.#eventPrefix}${id}${JSON.stringify([event, payload])}`);
    });
  }

  close(): void {
    this.#ws.close();
  }

  /** Drops the connection without a closing handshake. */
  terminate(): void {
    this.#ws.terminate();
  }

  #listen(): void {
    this.#ws.on('message', (data: Buffer) => this.#receive(data.toString()));
    this.#ws.on('error', () => {});
    this.#ws.on('close', (code) => {
      this.#isClosed = true;
      for (const [id, pending] of this.#acks) {
        clearTimeout(pending.timer);
        pending.reject(new Error('closed'));
        this.#acks.delete(id);
      }
      for (const listener of this.#closeListeners) listener(`close ${code}`);
    });
  }

  #receive(packet: string): void {
    if (packet.startsWith(this.#eventPrefix)) {
      let at = this.#eventPrefix.length;
      // Server events carry no ack id here, but skip one if present.
      while (packet.charCodeAt(at) >= 48 && packet.charCodeAt(at) <= 57) at += 1;
      const nameEnd = packet.indexOf('"', at + 2);
      const listener = this.#listeners.get(packet.slice(at + 2, nameEnd));
      listener?.(packet, at);
    } else if (packet.startsWith(this.#ackPrefix)) {
      const at = packet.indexOf('[', this.#ackPrefix.length);
      const id = Number(packet.slice(this.#ackPrefix.length, at));
      const pending = this.#acks.get(id);
      if (!pending) return;
      this.#acks.delete(id);
      clearTimeout(pending.timer);
      pending.resolve((JSON.parse(packet.slice(at)) as unknown[])[0]);
    } else if (packet === '2') {
      this.#ws.send('3');
    } else if (packet.startsWith(`41${this.nsp},`)) {
      this.#ws.close();
    }
  }
}

/** The string value of `"field":"…"`, the first in the packet (bodies the benchmark writes never contain it). */
export function stringField(packet: string, field: string, from = 0): string | undefined {
  const key = `"${field}":"`;
  const at = packet.indexOf(key, from);
  if (at < 0) return undefined;
  return packet.slice(at + key.length, packet.indexOf('"', at + key.length));
}

/** The number value of `"field":123`, the first in the packet. */
export function numberField(packet: string, field: string, from = 0): number | undefined {
  const key = `"${field}":`;
  const at = packet.indexOf(key, from);
  if (at < 0) return undefined;
  let end = at + key.length;
  while (end < packet.length && ((packet.charCodeAt(end) >= 48 && packet.charCodeAt(end) <= 57) || packet[end] === '-')) end += 1;
  return Number(packet.slice(at + key.length, end));
}
