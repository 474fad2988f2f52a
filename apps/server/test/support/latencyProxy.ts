import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LatencyProxy {
  /** `redis://127.0.0.1:PORT`: the upstream, reached through the proxy. */
  url: string;
  close(): Promise<void>;
}

/**
 * A TCP proxy that delays every chunk by `minMs` to `maxMs` (at random) in each direction, keeping
 * the order within each connection: an instance far from its Redis (another zone), on a link whose
 * latency varies, so its commands land later than its clients' packets, and its subscriber
 * connection may lag its command connection or run ahead of it.
 */
export async function startLatencyProxy(upstreamPort: number, { minMs, maxMs }: { minMs: number; maxMs: number }): Promise<LatencyProxy> {
  const sockets = new Set<Socket>();
  // One queue per direction, drained in order: separate timers may fire out of order.
  const relay = (from: Socket, to: Socket) => {
    const queue: { dueAt: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const drain = () => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.dueAt <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (to.writable) to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, queue[0]!.dueAt - Date.now());
    };
    from.on('data', (chunk: Buffer) => {
      const lastAt = queue.at(-1)?.dueAt ?? 0;
      queue.push({ dueAt: Math.max(Date.now() + minMs + Math.random() * (maxMs - minMs), lastAt), chunk });
      timer ??= setTimeout(drain, queue[0]!.dueAt - Date.now());
    });
    from.on('close', () => setTimeout(() => to.destroy(), maxMs + 5));
    from.on('error', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
