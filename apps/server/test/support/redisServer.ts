import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from './redisProcess.js';

export { freePort, startRedisServer, type RedisServer } from './redisProcess.js';

/** A redis-server of this test file's own: started before its tests, killed after them. */
export function useRedisServer(): RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.kill();
  });
  const current = (): RedisServer => {
    if (!server) throw new Error('the redis-server has not started yet');
    return server;
  };
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    kill: () => current().kill(),
    restart: () => current().restart(),
  };
}
