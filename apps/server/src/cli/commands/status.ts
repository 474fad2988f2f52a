import { createClient } from 'redis';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { describeMongoUrl } from '../../store/mongo/connect.js';
import { liveHolderOf } from '../../store/memory/storeLock.js';
import { cliLogger, openStores, type OpenedStores } from '../context.js';
import { describeLiveHolder, missingStore } from '../embeddedStore.js';
import { CliError, EXIT } from '../errors.js';
import type { Output } from '../output.js';
import { describeSettings } from '../settingsView.js';
import { countStore } from '../storeCounts.js';

const row = (out: Output, label: string, text: string) => out.line(`${`${label}:`.padEnd(18)}${text}`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const reason = (err: unknown) => (err instanceof CliError || err instanceof Error ? err.message : String(err));

async function describeStores(out: Output, config: Readonly<Config>, { stores, heldBy }: OpenedStores, logger: Logger): Promise<boolean> {
  const isReachable = await stores.isReady().catch(() => false);
  const where = config.mongodbUrl ? describeMongoUrl(config.mongodbUrl) : config.embeddedStoreFile;
  row(out, 'database', `${stores.kind} at ${where}: ${isReachable ? 'reachable' : 'NOT answering'}`);
  // The holder keeps the data in memory and writes the file a second after a change.
  if (heldBy) row(out, 'in use by', `${heldBy}: what follows is its last write to the file`);
  if (!isReachable) return false;
  const [total, activeAdmins, deactivated] = await Promise.all([stores.users.count(), stores.users.countActiveAdmins(), stores.users.deactivatedIds()]);
  row(out, 'users', `${total} (${plural(activeAdmins, 'active admin')}, ${deactivated.length} deactivated)`);
  const counts = await countStore(config, stores, logger).catch((err: unknown) => {
    row(out, 'rooms', `could not be counted (${reason(err)})`);
    return undefined;
  });
  if (counts) {
    const about = counts.isEstimate ? 'about ' : '';
    row(out, 'rooms', `${about}${counts.rooms} ${counts.rooms === 1 ? 'channel or group' : 'channels and groups'}, ${about}${plural(counts.conversations, 'direct conversation')}`);
    row(out, 'messages', `${about}${counts.streamEntries} stream entries (messages, edits, reactions, recalls, room events)`);
  }
  for (const [label, text] of describeSettings(config, await stores.settings.get())) row(out, label, text);
  return true;
}

async function describeRedis(out: Output, url: string | undefined): Promise<boolean> {
  if (!url) {
    row(out, 'redis', 'not configured (REDIS_URL is not set: one instance)');
    return true;
  }
  const client = createClient({ url, socket: { connectTimeout: 3_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    row(out, 'redis', `${describeMongoUrl(url)}: reachable`);
    return true;
  } catch (err) {
    row(out, 'redis', `${describeMongoUrl(url)}: UNREACHABLE (${reason(err)})`);
    return false;
  } finally {
    if (client.isOpen) await client.close().catch(() => {});
  }
}

/** Who holds a store that has no file yet; none when the lock cannot be read either (a missing folder). */
function liveHolderOfMissing(storeFile: string): string | undefined {
  try {
    return describeLiveHolder(storeFile);
  } catch {
    return undefined;
  }
}

/**
 * Whose port the environment line names. The command line's own PORT is not the server's when the
 * server was started with another (a checkout's `.env`, `PORT=0`): the embedded store's lock
 * records where the server holding it really listens, so that one is named when there is one.
 */
function describeEnvironment(config: Readonly<Config>, storeFile: string | undefined): string {
  let holder;
  try {
    holder = storeFile ? liveHolderOf(storeFile) : undefined;
  } catch {
    // An unreadable lock: the database lines say so; here, only the port is at stake.
    holder = undefined;
  }
  if (holder?.kind === 'server' && holder.port) return `${config.env}; the server holding the store listens on ${holder.host ?? ''}:${holder.port}`;
  return `${config.env} (PORT from this environment: ${config.port})`;
}

/**
 * Prints what the server runs on and holds: the database and whether it answers, users, rooms,
 * messages, the settings in force and Redis. Exit 1 when the database or Redis does not answer, or
 * when there is no embedded store and no live process holding one.
 */
export async function status(config: Readonly<Config>, out: Output): Promise<number> {
  const logger = cliLogger();
  const storeFile = config.mongodbUrl ? undefined : config.embeddedStoreFile;
  row(out, 'environment', describeEnvironment(config, storeFile));
  let isHealthy = true;
  let opened: OpenedStores | undefined;
  const missing = storeFile ? missingStore(storeFile) : undefined;
  // A server that has just started holds the store but writes the file only at its first change.
  const startedBy = missing && storeFile ? liveHolderOfMissing(storeFile) : undefined;
  if (startedBy) {
    row(out, 'database', `embedded store at ${storeFile}: not written yet`);
    row(out, 'in use by', `${startedBy} (nothing written yet)`);
  } else if (missing) {
    row(out, 'database', `embedded store at ${storeFile}: NONE`);
    out.error(`confab: ${missing}`);
    isHealthy = false;
  } else {
    try {
      opened = await openStores(config, logger, { command: 'status', willChange: false });
    } catch (err) {
      const where = config.mongodbUrl ? `mongodb at ${describeMongoUrl(config.mongodbUrl)}` : config.embeddedStoreFile ? `embedded store at ${config.embeddedStoreFile}` : 'memory only';
      row(out, 'database', `${where}: UNREACHABLE (${reason(err)})`);
      isHealthy = false;
    }
  }
  if (opened) {
    try {
      isHealthy = (await describeStores(out, config, opened, logger)) && isHealthy;
    } finally {
      await opened.stores.close();
    }
  }
  isHealthy = (await describeRedis(out, config.redisUrl)) && isHealthy;
  return isHealthy ? EXIT.ok : EXIT.failed;
}
