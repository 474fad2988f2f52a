import type { Instance } from '../harness/instance.js';
import type { ReadyInfo, ServerSpec } from '../harness/spec.js';
import { MessageLog } from './log.js';
import { openMongoSink } from './mongoSink.js';
import { startBare } from './server.js';

/** The bare counterpart of `startConfab`: the instances share one log (and one database, when given). */
export async function startBareInstances(spec: ServerSpec): Promise<{ info: ReadyInfo; instances: Instance[]; close(): Promise<void> }> {
  const log = spec.keepLog ? new MessageLog() : undefined;
  const sink = spec.mongo ? await openMongoSink(spec.mongo.url, spec.mongo.dbName) : undefined;
  const instances: Instance[] = [];
  for (let i = 0; i < spec.instances; i++) {
    instances.push(
      await startBare({
        ...(spec.redisUrl ? { redisUrl: spec.redisUrl } : {}),
        ...(log ? { log } : {}),
        ...(sink ? { store: sink.store } : {}),
      }),
    );
  }
  return {
    info: { urls: instances.map((instance) => instance.url), users: [] },
    instances,
    async close() {
      await Promise.all(instances.map((instance) => instance.close()));
      await sink?.close();
    },
  };
}
