import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Vite puts a content hash in every file name under /assets/, so a name never changes content. */
const ASSETS_DIR = 'assets';
const IMMUTABLE = 'public, max-age=31536000, immutable';
// index.html (and anything else outside /assets/) names the current hashed files. `no-cache` lets the
// browser keep a copy but ask first every time (a 304 when unchanged), so a deploy shows up on the
// next load; `no-store` would also throw away that copy and the back/forward cache, for nothing.
const REVALIDATE = 'no-cache';

/**
 * Serves the built single-page app, with `index.html` for client routes (any GET that accepts HTML
 * and is not an API, socket or asset path). The build holds a `.br` and a `.gz` beside each text
 * file, sent to browsers that accept them. Returns false when the folder holds no build.
 */
export async function registerWebApp(app: FastifyInstance, webDist: string): Promise<boolean> {
  const hasBuild = existsSync(join(webDist, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      // The precompressed copies are served in place of their originals, never under their own names.
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', isHashedAsset(webDist, path) ? IMMUTABLE : REVALIDATE);
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPageRequest =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/socket.io/') &&
      // A missing asset is a 404, never index.html: a browser would keep that for a year under a script's name.
      !request.url.startsWith(`/${ASSETS_DIR}/`) &&
      (request.headers.accept ?? '').includes('text/html');
    if (hasBuild && isPageRequest) return reply.type('text/html').sendFile('index.html');
    if (isPageRequest) {
      return reply.code(503).type('text/plain').send('The web app is not built. Run `pnpm build` (or `pnpm start`, which builds it).');
    }
    return reply.code(404).send({ error: { code: 'not_found', message: 'No such route.' } });
  });
  return hasBuild;
}

function isHashedAsset(webDist: string, path: string): boolean {
  return relative(webDist, path).startsWith(ASSETS_DIR + sep);
}
