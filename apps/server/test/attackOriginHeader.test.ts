// Issue #13, item 1, over HTTP: an Origin header that made the old check (`/\/+$/`) backtrack
// quadratically, sent ten at a time to the API and to the Engine.IO handshake with ALLOWED_ORIGINS
// set. Each is refused, and a health check sent behind them is answered about as fast as behind
// benign ones (ratios against the same requests with a benign Origin, never absolute times).
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ORIGIN_REFUSAL } from '../src/realtime/handshake.js';
import { useServer } from './support/server.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface RawResponse {
  status: number;
  body: string;
}

function dechunk(chunked: string): string {
  let body = '';
  for (let at = 0; ; ) {
    const lineEnd = chunked.indexOf('\r\n', at);
    const size = parseInt(chunked.slice(at, lineEnd), 16);
    if (!size) return body;
    body += chunked.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * Writes one request over its own connection and resolves once every byte is handed to the
 * kernel, with the response still to come: so that a request sent after it reaches the server later.
 */
async function sendRaw(port: number, head: string[], body = ''): Promise<{ response: Promise<RawResponse> }> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const response = new Promise<RawResponse>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const isChunked = /^transfer-encoding: *chunked/im.test(text.slice(0, split));
      resolve({ status: Number(text.slice(9, 12)), body: isChunked ? dechunk(text.slice(split + 4)) : text.slice(split + 4) });
    });
  });
  const request = [...head, `Host: 127.0.0.1:${port}`, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  await new Promise<void>((resolve, reject) => socket.write(request, (err) => (err ? reject(err) : resolve())));
  return { response };
}

describe('an Origin header built to backtrack, with ALLOWED_ORIGINS set', () => {
  const harness = useServer();
  // About the largest Origin that fits Node's 16 KiB header limit.
  const hostile = `http://a${'/'.repeat(16_000)}x`;
  const benign = `http://a${'b'.repeat(16_000)}x`;

  /** Ten refused requests from `origin` (five API calls, five handshakes), then /healthz: its latency and theirs. */
  async function round(port: number, origin: string) {
    const start = performance.now();
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? sendRaw(port, ['POST /api/auth/login HTTP/1.1', `Origin: ${origin}`, 'Content-Type: application/json'], '{}')
          : sendRaw(port, ['GET /socket.io/?EIO=4&transport=polling HTTP/1.1', `Origin: ${origin}`]),
      ),
    );
    const healthStart = performance.now();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    const healthMs = performance.now() - healthStart;
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const refusals = await Promise.all(sent.map((s) => s.response));
    const allMs = performance.now() - start;
    refusals.forEach((res, i) => {
      const expected =
        i % 2 === 0
          ? { error: { code: 'origin_not_allowed', message: 'This origin may not call the API.' } }
          : { code: 4, message: ORIGIN_REFUSAL };
      expect([res.status, JSON.parse(res.body)]).toEqual([403, expected]);
    });
    return { healthMs, allMs };
  }

  it('ten at once are refused, and /healthz beside them answers about as fast as beside benign ones', async () => {
    const server = await harness.start({ config: { allowedOrigins: ['https://chat.example'] } });
    await round(server.port, benign); // warm-up
    const slow: { healthMs: number; allMs: number }[] = [];
    const fast: typeof slow = [];
    for (let i = 0; i < 5; i += 1) {
      slow.push(await round(server.port, hostile));
      fast.push(await round(server.port, benign));
    }
    // No refused handshake left an Engine.IO session behind.
    expect(server.app.io.engine.clientsCount).toBe(0);
    const ratio = (key: 'healthMs' | 'allMs') => median(slow.map((r) => r[key])) / median(fast.map((r) => r[key]));
    expect(ratio('healthMs'), '/healthz latency, hostile over benign').toBeLessThan(10);
    expect(ratio('allMs'), 'time to refuse all ten, hostile over benign').toBeLessThan(10);
  }, 120_000);
});
