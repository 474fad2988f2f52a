import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { ConnectRefused, type WireOptions } from './wire.js';

// A receiving-only Socket.IO client that never decodes a frame. A thousand receivers at 100
// messages a second each are 100k frames a second; socket.io-client would need more than the
// load generator's core for that, and `ws` (framing and an event per frame) about 0.8 of it, so
// the benchmark would measure itself. This one reads the raw TCP stream into one reused buffer
// (net's `onread`: no allocation and no stream event per read), answers Engine.IO pings (the
// frame `2`, found by its three bytes) and finds the one marker the benchmark looks for with
// Buffer.indexOf: about 0.65 of a core at 100k frames a second, most of it the reads themselves.

const PING = Buffer.from([0x81, 0x01, 0x32]);
const QUOTE = 0x22;
const READ_SIZE = 64 * 1024;

/** A client→server text frame: masked, as RFC 6455 requires, with a zero key (the server does not care which). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}
const PONG = textFrame('3');

/** Called for each marker found, with the text between the marker and the next `"`. */
export type MarkerListener = (rest: string) => void;

export class SinkClient {
  #marker: Buffer | undefined;
  #onMarker: MarkerListener | undefined;
  /** How many bytes at the start of the read buffer are the kept tail of the last read. */
  tailLength = 0;
  isConnected = false;
  #isOpen = true;
  #closeListeners: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {}

  /** Connects to `nsp` over a WebSocket of its own; rejects with `ConnectRefused` when refused. */
  static open(baseUrl: string, nsp: string, options: WireOptions = {}): Promise<SinkClient> {
    const url = new URL(baseUrl);
    const headers = {
      host: url.host,
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': randomBytes(16).toString('base64'),
      ...options.headers,
    };
    let client: SinkClient | undefined;
    let handshake = '';
    let settle: { resolve(client: SinkClient): void; reject(err: Error): void } | undefined;
    // Reads land right after the kept tail, so a scan sees one contiguous buffer without copying.
    const buffer = Buffer.allocUnsafe(READ_SIZE * 2);
    const socket = connect({
      host: url.hostname,
      port: Number(url.port),
      onread: {
        buffer: () => buffer.subarray(client?.tailLength ?? 0, (client?.tailLength ?? 0) + READ_SIZE),
        // Returning false would pause the socket.
        callback: (bytes: number) => {
          if (client?.isConnected) {
            client.scan(buffer, client.tailLength + bytes);
            return true;
          }
          handshake += buffer.toString('latin1', client?.tailLength ?? 0, (client?.tailLength ?? 0) + bytes);
          if (!client) {
            const end = handshake.indexOf('\r\n\r\n');
            if (end < 0) return true;
            if (!handshake.startsWith('HTTP/1.1 101')) {
              settle?.reject(new Error(`upgrade refused: ${handshake.slice(0, handshake.indexOf('\r\n'))}`));
              return true;
            }
            client = new SinkClient(socket);
            handshake = handshake.slice(end + 4);
            // Packets may follow the upgrade at once: engine.io opened the session while upgrading.
            socket.write(textFrame(`40${nsp},${options.auth === undefined ? '' : JSON.stringify(options.auth)}`));
          }
          if (handshake.includes(`40${nsp},{`)) {
            client.isConnected = true;
            settle?.resolve(client);
          } else if (handshake.includes(`44${nsp},`)) {
            socket.destroy();
            settle?.reject(new ConnectRefused(handshake.slice(handshake.indexOf(`44${nsp},`) + nsp.length + 3).replace(/[^\x20-\x7e]/g, '')));
          }
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(`GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`no CONNECT to ${nsp} within ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      settle = {
        resolve: (c) => {
          clearTimeout(timer);
          socket.removeAllListeners('close');
          c.listen();
          resolve(c);
        },
        reject: fail,
      };
      socket.on('error', fail);
      socket.on('close', () => fail(new Error('closed during the handshake')));
    });
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  /** Calls `listener` for every occurrence of `marker` in what arrives from now on. */
  watch(marker: string, listener: MarkerListener): void {
    this.#marker = Buffer.from(marker);
    this.#onMarker = listener;
  }

  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  terminate(): void {
    this.socket.destroy();
  }

  listen(): void {
    this.socket.on('error', () => {});
    this.socket.once('close', () => {
      this.#isOpen = false;
      for (const listener of this.#closeListeners) listener();
    });
  }

  /**
   * Scans `buffer` up to `length`: the kept tail of the last read, then this read. The tail is
   * kept short enough that nothing found entirely inside it was found before, except a marker
   * whose text ran past the last read's end, which was kept back then and is counted now.
   */
  scan(buffer: Buffer, length: number): void {
    const scanned = this.tailLength;
    const view = buffer.subarray(0, length);
    for (let at = view.indexOf(PING, Math.max(0, scanned - 2)); at >= 0; at = view.indexOf(PING, at + 3)) {
      if (at + 3 > scanned) this.socket.write(PONG);
    }
    const marker = this.#marker;
    let keepFrom = Math.max(0, length - (marker ? marker.length - 1 : 2));
    if (marker) {
      for (let at = view.indexOf(marker); at >= 0; at = view.indexOf(marker, at + marker.length)) {
        const end = view.indexOf(QUOTE, at + marker.length);
        if (end < 0) {
          keepFrom = at;
          break;
        }
        this.#onMarker!(view.toString('latin1', at + marker.length, end));
      }
    }
    // A frame can be longer than a read: never keep more than half the buffer.
    keepFrom = Math.max(keepFrom, length - READ_SIZE);
    buffer.copy(buffer, 0, keepFrom, length);
    this.tailLength = length - keepFrom;
  }
}
