import type { Namespace, Socket } from 'socket.io';
import type { Metrics } from './metrics.js';

type Next = (err?: Error) => void;

/**
 * Counts each event a socket of these namespaces receives and the ack it gets back, by wrapping
 * the ack callback before the handlers run. An event name counts as itself only when the
 * namespace handles it: a client's invented names all count as "unknown".
 */
export function countSocketEvents(namespaces: Namespace[], metrics: Metrics): void {
  for (const nsp of namespaces) {
    nsp.on('connection', (socket: Socket) => {
      socket.use((packet, next) => {
        const name = packet[0];
        const event = typeof name === 'string' && socket.listeners(name).length > 0 ? name : 'unknown';
        metrics.eventReceived(nsp.name, event);
        const ack = packet.at(-1);
        if (packet.length > 1 && typeof ack === 'function') {
          packet[packet.length - 1] = (result: unknown) => {
            metrics.acked(nsp.name, event, result);
            (ack as (result: unknown) => void)(result);
          };
        }
        next();
      });
    });
  }
}

/** Wraps a namespace's admission middleware so that each refusal is counted by its `connect_error` code. */
export function countRefusals<M extends (socket: Socket, next: Next) => unknown>(admit: M, metrics: Metrics): (socket: Socket, next: Next) => unknown {
  return (socket, next) =>
    admit(socket, (err) => {
      if (err) metrics.refused('namespace', (err as Error & { data?: { code?: unknown } }).data?.code as string);
      next(err);
    });
}
