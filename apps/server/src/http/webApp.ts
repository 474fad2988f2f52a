import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built single-page app, with `index.html` for client routes (any GET that accepts HTML
 * and is not an API or socket path). Returns false when the folder holds no build.
 */
export async function registerWebApp(app: FastifyInstance, webDist: string): Promise<boolean> {
  const hasBuild = existsSync(join(webDist, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPageRequest =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/socket.io/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (hasBuild && isPageRequest) return reply.type('text/html').sendFile('index.html');
    if (isPageRequest) {
      return reply.code(503).type('text/plain').send('The web app is not built. Run `pnpm build` (or `pnpm start`, which builds it).');
    }
    return reply.code(404).send({ error: { code: 'not_found', message: 'No such route.' } });
  });
  return hasBuild;
}
