import type {
  Ack,
  AckFn,
  HistoryPayload,
  LobbyClientToServerEvents,
  MessageDto,
  MessagePage,
  SendMessagePayload,
  SyncPayload,
} from '@confab/shared';
import type { SendError } from '../lib/messages';
import { lobbySocket } from './socket';

/** How long an ack may take before the request counts as lost. Sends are idempotent, so a late ack after this is harmless. */
export const ACK_TIMEOUT_MS = 10_000;

export type Result<T> = { ok: true; data: T } | { ok: false; error: SendError };

type EventName = keyof LobbyClientToServerEvents;
type PayloadOf<E extends EventName> = Parameters<LobbyClientToServerEvents[E]>[0];
type DataOf<E extends EventName> = Parameters<LobbyClientToServerEvents[E]>[1] extends AckFn<infer T> ? T : never;
type LooseEmitter = { emitWithAck(event: string, payload: unknown): Promise<unknown> };

/**
 * Emits a lobby event and resolves with its ack, never rejects. Nothing is emitted while
 * disconnected: socket.io would buffer it and replay it on reconnect, racing our own resend.
 */
async function request<E extends EventName>(event: E, payload: PayloadOf<E>): Promise<Result<DataOf<E>>> {
  if (!lobbySocket.connected) {
    return { ok: false, error: { code: 'disconnected', message: 'You are offline.' } };
  }
  try {
    // socket.io's typings cannot follow a generic event name through `timeout()`; the public
    // signatures above keep callers typed.
    const emitter = lobbySocket.timeout(ACK_TIMEOUT_MS) as unknown as LooseEmitter;
    return (await emitter.emitWithAck(event, payload)) as Ack<DataOf<E>>;
  } catch {
    return lobbySocket.connected
      ? { ok: false, error: { code: 'timeout', message: 'The server did not answer in time.' } }
      : { ok: false, error: { code: 'disconnected', message: 'The connection dropped before the server answered.' } };
  }
}

export function sendMessage(payload: SendMessagePayload): Promise<Result<MessageDto>> {
  return request('message:send', payload);
}

export function fetchHistory(payload: HistoryPayload): Promise<Result<MessagePage>> {
  return request('message:history', payload);
}

export function syncMessages(payload: SyncPayload): Promise<Result<MessagePage>> {
  return request('message:sync', payload);
}
