import type { Connection } from 'mongoose';

/** The parts of the driver's server description this module reads. */
interface ServerView {
  type: string;
  address: string;
  electionId?: { toHexString(): string } | null;
  topologyVersion?: { processId: { toHexString(): string } } | null;
}

/** A replica set's primary as the driver sees it: which server, elected when. */
export function primaryOf(servers: Iterable<ServerView>): string | null {
  for (const server of servers) {
    if (server.type === 'RSPrimary') return `${server.address}/${server.electionId?.toHexString() ?? ''}`;
  }
  return null;
}

/** Whether a server's description changed to one from another process: it restarted. */
export function isRestart(previous: ServerView, next: ServerView): boolean {
  const before = previous.topologyVersion?.processId.toHexString();
  const after = next.topologyVersion?.processId.toHexString();
  return before !== undefined && after !== undefined && before !== after;
}

/**
 * Calls `onMaybeLost` whenever the database behind `connection` may have lost writes it acknowledged
 * to this process (with the default write concern a crash loses the newest writes, and a failover
 * rolls back what the old primary had not replicated): when the connection drops or returns, when a
 * server answers from a new process (a restart between two heartbeats), and when another server
 * becomes primary without the set ever being seen without one.
 *
 * What it cannot see: a backup restored into the database while this process stays connected.
 */
export function watchForLostWrites(connection: Connection, onMaybeLost: () => void): void {
  connection.on('disconnected', onMaybeLost);
  connection.on('reconnected', onMaybeLost);
  const client = connection.getClient();
  client.on('serverDescriptionChanged', (event) => {
    if (isRestart(event.previousDescription, event.newDescription)) onMaybeLost();
  });
  client.on('topologyDescriptionChanged', (event) => {
    const before = primaryOf(event.previousDescription.servers.values());
    const after = primaryOf(event.newDescription.servers.values());
    if (before !== null && after !== null && before !== after) onMaybeLost();
  });
}
