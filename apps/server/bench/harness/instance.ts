import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';

/** One server (Confab or bare) listening in the server process. */
export interface Instance {
  url: string;
  /** Drops every TCP connection at once (clients see a crash, not a goodbye), then closes. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Remembers the HTTP server's connections, WebSocket ones included (an upgraded socket is the
 * same TCP socket), so that `crash` can destroy them all before the server says anything.
 */
export function trackConnections(server: HttpServer): { destroyAll(): void } {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    destroyAll() {
      for (const socket of open) socket.destroy();
      open.clear();
    },
  };
}
