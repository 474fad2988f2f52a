import type { FastifyInstance } from 'fastify';
import type { Stores } from '../store/ports.js';

/** `/healthz`: the process answers. `/readyz`: it can serve, i.e. its stores answer. */
export function registerHealthRoutes(app: FastifyInstance, deps: { stores: Stores }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const isStoreReady = await deps.stores.isReady().catch(() => false);
    return reply.code(isStoreReady ? 200 : 503).send({
      status: isStoreReady ? 'ready' : 'not_ready',
      checks: { store: { kind: deps.stores.kind, ok: isStoreReady } },
    });
  });
}
