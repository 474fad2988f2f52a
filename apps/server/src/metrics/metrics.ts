import { ERROR_CODES } from '@confab/shared';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Namespace, Server } from 'socket.io';
import type { LimitName } from '../limits/rateLimits.js';
import { suppressedLogLines } from '../logging/sampledLog.js';

/** Where a connection was refused: by the Engine.IO guard (before any socket), or by a namespace's admission. */
export type RefusalStage = 'engine' | 'namespace';

/**
 * One app's metrics, in a registry of its own: several servers in one process (tests) do not
 * share counters. Every label takes its values from a fixed set (namespace and event names the
 * server registered, error codes, limit names, store methods), never from a user, room or address.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const eventsReceived = new Counter({
    name: 'confab_events_received_total',
    help: 'Socket.IO events received from clients, by namespace and event ("unknown" for events the server does not handle).',
    labelNames: ['namespace', 'event'] as const,
    registers: [registry],
  });
  const acks = new Counter({
    name: 'confab_acks_total',
    help: 'Acks sent to clients, by namespace, event and outcome ("ok" or the error code).',
    labelNames: ['namespace', 'event', 'outcome'] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'confab_refusals_total',
    help: 'Refused connections, by stage (engine: Engine.IO handshake or session request; namespace: socket CONNECT) and code.',
    labelNames: ['stage', 'code'] as const,
    registers: [registry],
  });
  const idleClosed = new Counter({
    name: 'confab_engine_idle_closed_total',
    help: 'Engine.IO connections closed for holding no namespace socket within SOCKET_CONNECT_TIMEOUT_SECONDS.',
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'confab_rate_limited_total',
    help: 'Requests refused by a rate limit, by limit name.',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const storeDuration = new Histogram({
    name: 'confab_store_operation_duration_seconds',
    help: 'Duration of store calls, by store and method, failures included.',
    labelNames: ['store', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'confab_store_errors_total',
    help: 'Store calls that failed (threw), by store and method.',
    labelNames: ['store', 'method'] as const,
    registers: [registry],
  });
  const redisErrors = new Counter({
    name: 'confab_redis_errors_total',
    help: 'Redis failures: connection errors by connection (client, publisher, subscriber), and cross-instance broadcasts lost.',
    labelNames: ['connection', 'kind'] as const,
    registers: [registry],
  });
  let suppressedSeen = suppressedLogLines.count;
  new Counter({
    name: 'confab_client_log_lines_suppressed_total',
    help: 'Log lines a client caused that its log limit kept out of the log (counted for the whole process).',
    registers: [registry],
    collect() {
      // The count is the process's since start-up; this app reports what it grew by since its own start.
      this.inc(suppressedLogLines.count - suppressedSeen);
      suppressedSeen = suppressedLogLines.count;
    },
  });

  return {
    registry,
    /** Reads the open Engine.IO connections and each namespace's sockets on every scrape. */
    watchServer(io: Server, namespaces: Namespace[]): void {
      new Gauge({
        name: 'confab_engine_connections',
        help: 'Engine.IO connections (WebSocket or polling sessions) open on this instance.',
        registers: [registry],
        collect() {
          this.set(io.engine.clientsCount);
        },
      });
      new Gauge({
        name: 'confab_sockets',
        help: 'Sockets connected on this instance, by namespace.',
        labelNames: ['namespace'] as const,
        registers: [registry],
        collect() {
          for (const nsp of namespaces) this.set({ namespace: nsp.name }, nsp.sockets.size);
        },
      });
    },
    eventReceived: (namespace: string, event: string) => eventsReceived.inc({ namespace, event }),
    acked(namespace: string, event: string, result: unknown): void {
      acks.inc({ namespace, event, outcome: ackOutcome(result) });
    },
    refused: (stage: RefusalStage, code: string) => refusals.inc({ stage, code: knownCode(code) }),
    idleClosed: () => idleClosed.inc(),
    rateLimited: (limit: LimitName) => rateLimited.inc({ limit }),
    storeCall(store: string, method: string, seconds: number, isFailure: boolean): void {
      storeDuration.observe({ store, method }, seconds);
      if (isFailure) storeErrors.inc({ store, method });
    },
    redisError: (connection: string, kind: 'connection_error' | 'broadcast_lost') => redisErrors.inc({ connection, kind }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const ENGINE_CODES = ['too_many_connections'];

function knownCode(code: unknown): string {
  return typeof code === 'string' && ((ERROR_CODES as readonly string[]).includes(code) || ENGINE_CODES.includes(code)) ? code : 'other';
}

function ackOutcome(result: unknown): string {
  if (typeof result !== 'object' || result === null) return 'other';
  const ack = result as { ok?: unknown; error?: { code?: unknown } };
  return ack.ok === true ? 'ok' : knownCode(ack.error?.code);
}
