import { afterEach } from 'vitest';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/testing.js';
import type { LobbyClient } from './client.js';

/**
 * Starts a real server per test and closes it, and every socket the test registered, afterwards.
 * Call once at the top of a test file.
 */
export function useServer() {
  const servers: RunningServer[] = [];
  const sockets: LobbyClient[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const server of servers.splice(0)) await server.close();
  });
  return {
    async start(options: StartServerOptions = {}): Promise<RunningServer> {
      const server = await startServer(options);
      servers.push(server);
      return server;
    },
    /** Registers a socket to be disconnected after the test. */
    track<T extends LobbyClient>(socket: T): T {
      sockets.push(socket);
      return socket;
    },
  };
}
