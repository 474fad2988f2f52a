import type { AdminSettingsDto, ServerSettings } from '@confab/shared';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/**
 * `GET /api/settings`: the server's name, who may register and whether members may invite, the timings and limits a client shows
 * (recall and edit windows, away delay, upload size) and the server's clock. Public: nothing
 * secret. The admin settings are this instance's live copy (see services/admin/liveSettings.ts).
 */
export function registerSettingsRoute(
  app: FastifyInstance,
  deps: {
    config: Pick<Config, 'awayAfterMs' | 'reactionsPerMessageMax'>;
    settings: () => AdminSettingsDto;
    /** Whether any account exists: until one does, registration is open to the first (the admin). */
    hasUsers: () => Promise<boolean>;
    now?: () => Date;
  },
): void {
  const now = deps.now ?? (() => new Date());
  app.get('/api/settings', async (_request, reply) => {
    // Never cached: a stale copy would carry a stale clock.
    reply.header('cache-control', 'no-store');
    const settings = deps.settings();
    return {
      serverName: settings.serverName,
      registration: (await deps.hasUsers()) ? settings.registration : 'open',
      membersCanInvite: settings.membersCanInvite,
      recallWindowMs: settings.recallWindowMs,
      editWindowMs: settings.editWindowMs,
      reactionsPerMessageMax: deps.config.reactionsPerMessageMax,
      awayAfterMs: deps.config.awayAfterMs,
      uploadMaxBytes: settings.uploadMaxBytes,
      serverTime: now().toISOString(),
    } satisfies ServerSettings;
  });
}
