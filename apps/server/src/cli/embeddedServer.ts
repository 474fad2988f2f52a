import type { Config } from '../config.js';

/** The kind `/readyz` names for the embedded store kept in a file (see persistedMemoryStores.ts). */
const EMBEDDED_KIND = 'memory (file)';

/**
 * Whether a Confab server with the embedded store answers on this machine at the configured port.
 * It holds that store in memory and rewrites its file whole, so a change made beside it would be
 * overwritten (and never seen by it): the command line refuses to change the file while one runs.
 */
export async function isEmbeddedServerRunning(config: Pick<Config, 'host' | 'port'>): Promise<boolean> {
  if (config.port === 0) return false;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  try {
    const res = await fetch(`http://${host}:${config.port}/readyz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { checks?: { store?: { kind?: unknown } } };
    return body.checks?.store?.kind === EMBEDDED_KIND;
  } catch {
    return false;
  }
}
