import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { summarizeProfile } from '../report/profile.js';
import type { Context, ProfileSummary } from '../report/result.js';
import type { ServerProcess } from './spawn.js';
import type { Target } from './spec.js';

/**
 * Starts a CPU profile of Confab's server process for one phase (connect, idle, fan-out) when `--profile DIR` is given
 * (the inspector in the process, so only the phase is in it); the returned function stops it and
 * summarizes the top self-time functions.
 */
export async function profilePhase(ctx: Context, server: ServerProcess, target: Target, phase: string): Promise<() => Promise<ProfileSummary | undefined>> {
  const dir = ctx.options.profile;
  if (!dir || target !== 'confab') return async () => undefined;
  await mkdir(dir, { recursive: true });
  await server.command({ cmd: 'profileStart' });
  return async () => {
    const file = resolve(join(dir, `${phase.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`));
    await server.command({ cmd: 'profileStop', file });
    return summarizeProfile(phase, file);
  };
}
