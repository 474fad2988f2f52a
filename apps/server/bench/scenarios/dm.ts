import { quiet } from '../harness/meter.js';
import { spawnServer } from '../harness/spawn.js';
import type { ReadyInfo } from '../harness/spec.js';
import { closedLoop, closedLoopBody, type ClosedLoopFigures } from '../load/closedLoop.js';
import { connectAs, connectCrowd, disperse } from '../load/crowd.js';
import { WireClient } from '../load/wire.js';
import { emptyResult, type CaseResult, type Context, type Figures, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'ackedPerSecond', label: 'acked messages', unit: 'msg/s' as const },
  { key: 'cpuUsPerMessage', label: 'server CPU per message', unit: 'µs' as const },
  { key: 'ackP50', label: 'ack p50', unit: 'ms' as const },
  { key: 'ackP99', label: 'ack p99', unit: 'ms' as const },
  { key: 'cores', label: 'server CPU', unit: 'cores' as const },
  { key: 'loadCores', label: 'load generator CPU', unit: 'cores' as const },
  { key: 'deliveredPct', label: 'delivered', unit: '%' as const },
  { key: 'dmOverLobby', label: 'acked/s, DM ÷ lobby', unit: '×' as const },
  { key: 'dmCostOverLobby', label: 'CPU per message, DM ÷ lobby', unit: '×' as const },
];

/** Lobby members whose deliveries are checked (every message reaches every member). */
const LOBBY_WITNESSES = 5;

const figuresOf = (run: ClosedLoopFigures): Figures => ({
  ackedPerSecond: run.ackedPerSecond,
  cpuUsPerMessage: run.cpuUsPerMessage,
  ackP50: run.ackP50,
  ackP99: run.ackP99,
  cores: run.cores,
  loadCores: run.loadCores,
  deliveredPct: run.deliveredPct,
});

function check(row: CaseResult, target: string, run: ClosedLoopFigures): void {
  if (run.deliveredPct >= 100 && run.errors.length === 0) return;
  row.complete = false;
  row.problems.push(`${target}: ${run.deliveredPct.toFixed(1)}% delivered${run.errors.length ? ` (${run.errors.join('; ')})` : ''}`);
}

async function connectAll(ctx: Context, info: ReadyInfo, nsp: string, auth: (i: number) => unknown): Promise<WireClient[]> {
  const count = ctx.options.dmSenders;
  // In order: client i is user i, so pairs are known.
  const clients: WireClient[] = [];
  const crowd = await connectCrowd({
    count,
    batch: count,
    deadlineMs: 60_000,
    open: async (i) => (clients[i] = await WireClient.open(info.urls[0]!, nsp, connectAs(info, i, { auth: auth(i) }))),
  });
  if (crowd.clients.length < count) throw new Error(`only ${crowd.clients.length} of ${count} connected to ${nsp}: ${crowd.firstError}`);
  return clients;
}

/**
 * Closed loop, two ways, on one server: 50 senders in 25 one-to-one rooms (Confab: DMs on /dm to
 * the partner; bare: rooms of two), then 50 senders in one room (the lobby).
 */
export const dm: Scenario = async (ctx) => {
  const { options } = ctx;
  const senders = options.dmSenders - (options.dmSenders % 2);
  const result = emptyResult('dm', METRICS);
  const dmRow: CaseResult = { name: `${senders} senders over ${senders / 2} one-to-one rooms`, bare: {}, confab: {}, complete: true, problems: [] };
  const lobbyRow: CaseResult = { name: `${senders} senders in one room (lobby)`, bare: {}, confab: {}, complete: true, problems: [] };
  const ratioRow: CaseResult = { name: 'DM ÷ lobby', bare: {}, confab: {}, complete: true, problems: [] };
  for (const target of ctx.options.targets) {
    ctx.log(`dm: ${target}`);
    const server = await spawnServer({ target, instances: 1, users: target === 'confab' ? senders : 0 });
    try {
      const partner = (i: number) => i ^ 1;
      const dmClients = await connectAll(ctx, server.info, '/dm', (i) => (target === 'bare' ? { room: `pair${i >> 1}` } : undefined));
      const dmRun = await closedLoop({
        servers: [server],
        senders: dmClients,
        receivers: dmClients,
        event: 'dm:send',
        deliveryEvent: 'dm:message',
        fanout: 2,
        seconds: options.dmSeconds,
        payload: (i, clientId) => ({ to: server.info.users[partner(i)]?.id ?? 'bare', clientId, body: closedLoopBody(clientId) }),
      });
      await disperse(dmClients);
      await quiet([server], { maxMs: 10_000 });
      const lobbyClients = await connectAll(ctx, server.info, '/lobby', () => undefined);
      const lobbyRun = await closedLoop({
        servers: [server],
        senders: lobbyClients,
        receivers: lobbyClients.slice(0, LOBBY_WITNESSES),
        event: 'message:send',
        deliveryEvent: 'message:new',
        fanout: Math.min(LOBBY_WITNESSES, lobbyClients.length),
        seconds: options.dmSeconds,
        payload: (_, clientId) => ({ clientId, body: closedLoopBody(clientId) }),
      });
      await disperse(lobbyClients);
      dmRow[target] = figuresOf(dmRun);
      lobbyRow[target] = figuresOf(lobbyRun);
      ratioRow[target] = {
        dmOverLobby: lobbyRun.ackedPerSecond > 0 ? dmRun.ackedPerSecond / lobbyRun.ackedPerSecond : null,
        dmCostOverLobby: dmRun.cpuUsPerMessage !== null && lobbyRun.cpuUsPerMessage ? dmRun.cpuUsPerMessage / lobbyRun.cpuUsPerMessage : null,
      };
      check(dmRow, target, dmRun);
      check(lobbyRow, target, lobbyRun);
    } finally {
      await server.stop();
    }
  }
  result.cases.push(dmRow, lobbyRow, ratioRow);
  return result;
};
