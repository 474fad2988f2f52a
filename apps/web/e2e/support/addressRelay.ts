import { createServer, connect, type Socket } from 'node:net';

export interface AddressRelay {
  /** Where a browser connects: http://127.0.0.1:<port>. */
  url: string;
  /** The loopback address the relay's connections to the target come from. */
  sourceAddress: string;
  close(): Promise<void>;
}

/**
 * A TCP relay to 127.0.0.1:`targetPort` whose outgoing connections come from `sourceAddress`
 * (any 127.x.y.z: Linux routes the whole block to loopback). nginx pins a client to an instance
 * by its address; every browser in a test runs on this machine, so a relay per browser is how two
 * of them reach nginx as two different clients would. Bytes pass through untouched (HTTP, the
 * WebSocket upgrade and frames), so the browser's Host and Origin are the relay's own.
 */
export function startAddressRelay(targetPort: number, sourceAddress: string): Promise<AddressRelay> {
  const open = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect({ host: '127.0.0.1', port: targetPort, localAddress: sourceAddress });
    for (const socket of [inbound, outbound]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // Either side failing ends both; the browser sees a dropped connection, as with a real network.
      socket.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') return reject(new Error('the relay has no port'));
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        sourceAddress,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
