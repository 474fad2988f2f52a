import type { Ack, AckFn } from '@confab/shared';
import type { SendError } from '../lib/messages';
import { clientError } from '../i18n/errors';

/** How long an ack may take before the request counts as lost. Sends are idempotent, so a late ack after this is harmless. */
export const ACK_TIMEOUT_MS = 10_000;

export type Result<T> = { ok: true; data: T } | { ok: false; error: SendError };

// `any[]`: any listener signature, whatever its parameters.
type Listener = (...args: any[]) => void;
/** The events of a map that take an ack: the only ones a request can be made with. */
type AckedEvent<M> = { [E in keyof M]: M[E] extends Listener ? (Parameters<M[E]>[1] extends AckFn<never> ? E : never) : never }[keyof M];
type PayloadOf<M, E extends keyof M> = M[E] extends Listener ? Parameters<M[E]>[0] : never;
type DataOf<M, E extends keyof M> = M[E] extends Listener ? (Parameters<M[E]>[1] extends AckFn<infer T> ? T : never) : never;
type LooseEmitter = { emitWithAck(event: string, payload: unknown): Promise<unknown> };

/** What `createRequester` needs of a socket.io client socket. */
interface AckSocket {
  readonly connected: boolean;
  timeout(ms: number): unknown;
}

/**
 * A typed request function for one namespace: emits an event and resolves with its ack, never
 * rejects. Nothing is emitted while disconnected: socket.io would buffer it and replay it on
 * reconnect, racing our own resend.
 */
export function createRequester<M>(socket: AckSocket) {
  return async function request<E extends AckedEvent<M> & string>(event: E, payload: PayloadOf<M, E>): Promise<Result<DataOf<M, E>>> {
    if (!socket.connected) {
      return { ok: false, error: clientError('disconnected', 'errors.offline') };
    }
    try {
      // socket.io's typings cannot follow a generic event name through `timeout()`; the
      // signatures of the request functions built on this keep callers typed.
      const emitter = socket.timeout(ACK_TIMEOUT_MS) as LooseEmitter;
      return (await emitter.emitWithAck(event, payload)) as Ack<DataOf<M, E>>;
    } catch {
      return socket.connected
        ? { ok: false, error: clientError('timeout', 'errors.timeout') }
        : { ok: false, error: clientError('disconnected', 'errors.disconnected') };
    }
  };
}
