import { startRedisServer } from '../../test/support/redisProcess.js';

/**
 * A redis-server of the benchmark's own, empty, on a free port: the shared one on 6379 carries
 * other people's tests, whose adapter traffic would land in our measurements (and ours in theirs).
 */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = await startRedisServer();
  return { url: server.url, stop: () => server.kill() };
}
