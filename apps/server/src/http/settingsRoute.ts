import type { ServerSettings } from '@confab/shared';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/** `GET /api/settings`: the timings a client shows (recall window, away delay). Public: nothing secret. */
export function registerSettingsRoute(app: FastifyInstance, config: Pick<Config, 'recallWindowMs' | 'awayAfterMs'>): void {
  app.get('/api/settings', async () => ({ recallWindowMs: config.recallWindowMs, awayAfterMs: config.awayAfterMs }) satisfies ServerSettings);
}
