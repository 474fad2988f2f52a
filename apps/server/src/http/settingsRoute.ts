import type { ServerSettings } from '@confab/shared';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/** `GET /api/settings`: the timings and limits a client shows (recall window, away delay, upload size) and the server's clock. Public: nothing secret. */
export function registerSettingsRoute(
  app: FastifyInstance,
  config: Pick<Config, 'recallWindowMs' | 'awayAfterMs' | 'editWindowMs' | 'reactionsPerMessageMax' | 'uploadMaxBytes'>,
  now: () => Date = () => new Date(),
): void {
  app.get('/api/settings', async (_request, reply) => {
    // Never cached: a stale copy would carry a stale clock.
    reply.header('cache-control', 'no-store');
    return {
      recallWindowMs: config.recallWindowMs,
      editWindowMs: config.editWindowMs,
      reactionsPerMessageMax: config.reactionsPerMessageMax,
      awayAfterMs: config.awayAfterMs,
      uploadMaxBytes: config.uploadMaxBytes,
      serverTime: now().toISOString(),
    } satisfies ServerSettings;
  });
}
