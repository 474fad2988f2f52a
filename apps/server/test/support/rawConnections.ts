import { request as httpRequest } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { afterEach } from 'vitest';

// Raw TCP, HTTP and Engine.IO clients for attackConnections.test.ts: what a hostile client
// writes by hand, from a chosen loopback address (Linux answers on all of 127.0.0.0/8).

const opened: { destroy(): void }[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.destroy();
});

export interface RawConnection {
  socket: Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves when the server has closed the connection, with what it sent and when. */
  closed: Promise<{ data: string; atMs: number }>;
}

export async function rawConnection(port: number, localAddress = '127.0.0.1'): Promise<RawConnection> {
  const socket = netConnect({ port, host: '127.0.0.1', localAddress });
  opened.push(socket);
  let data = '';
  socket.on('data', (chunk) => (data += chunk.toString()));
  socket.on('error', () => {});
  const closed = new Promise<{ data: string; atMs: number }>((resolve) => socket.once('close', () => resolve({ data, atMs: performance.now() })));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed };
}

/** Sends a keep-alive `GET /healthz` on the connection and waits for its whole answer. */
export async function healthOn(conn: RawConnection): Promise<string> {
  const before = conn.received().length;
  conn.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const answer = conn.received().slice(before);
    const length = /content-length: (\d+)/i.exec(answer);
    const [head, body] = answer.split('\r\n\r\n');
    if (head && length && body !== undefined && Buffer.byteLength(body) >= Number(length[1])) return head.split('\r\n')[0]!;
    if (conn.socket.destroyed) return 'closed';
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no answer to GET /healthz');
}

/** One HTTP request from `localAddress`, answered with its status and body text. */
export function plainRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export type EngineSocket = WebSocket & { packets: string[] };

/**
 * Opens a raw Engine.IO WebSocket; resolves once the server's open packet has arrived, or
 * rejects with the refusal's status and body. Answers pings, records every other packet.
 */
export function engineWebSocket(url: string, options: { localAddress?: string; headers?: Record<string, string>; sid?: string } = {}): Promise<EngineSocket> {
  const query = `EIO=4&transport=websocket${options.sid ? `&sid=${options.sid}` : ''}`;
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?${query}`, {
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    headers: options.headers ?? {},
  }) as EngineSocket;
  opened.push({ destroy: () => ws.terminate() });
  ws.packets = [];
  ws.on('message', (data) => {
    const text = String(data);
    if (text === '2') ws.send('3');
    else ws.packets.push(text);
  });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => reject(Object.assign(new Error(`refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
    });
    ws.once('error', (err) => reject(err));
    if (options.sid) ws.once('open', () => resolve(ws));
    else ws.once('message', () => resolve(ws));
  });
}

/** Resolves when the WebSocket has closed; rejects after `ms`. */
export function wsClosed(ws: WebSocket, ms = 10_000): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
