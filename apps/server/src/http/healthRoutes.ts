import type { FastifyInstance } from 'fastify';
import type { Stores } from '../store/ports.js';

/**
 * `/healthz`: the process answers. `/readyz`: it can serve: its store answers and, when it
 * runs with Redis, Redis is connected (otherwise other instances would not hear its broadcasts).
 * `/readyz` also names the instance (a random id per process, logged at start), so an operator
 * behind a load balancer can tell which replica answered.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: { stores: Stores; instanceId: string; isRedisReady?: () => boolean }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const isStoreReady = await deps.stores.isReady().catch(() => false);
    const isRedisReady = deps.isRedisReady?.();
    const isReady = isStoreReady && isRedisReady !== false;
    return reply.code(isReady ? 200 : 503).send({
      status: isReady ? 'ready' : 'not_ready',
      instance: deps.instanceId,
      checks: {
        store: { kind: deps.stores.kind, ok: isStoreReady },
        ...(isRedisReady === undefined ? {} : { redis: { ok: isRedisReady } }),
      },
    });
  });
}
