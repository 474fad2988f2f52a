import { io, type Socket } from 'socket.io-client';
import type { Ack, AdminClientToServerEvents } from '@confab/shared';

/** What a test asks of `/admin`: one event at a time, its refusal thrown. */
export interface AdminClient {
  ask<T>(event: keyof AdminClientToServerEvents, payload: unknown): Promise<T>;
  close(): void;
}

/**
 * The `/admin` namespace as the session token's user (from `registerViaApi`; a fresh server's
 * first account is its admin): sets the server up without clicking through the admin screen.
 */
export async function adminClient(baseUrl: string, token: string): Promise<AdminClient> {
  const socket: Socket = io(`${baseUrl}/admin`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return {
    async ask<T>(event: keyof AdminClientToServerEvents, payload: unknown): Promise<T> {
      const ack = (await socket.timeout(5_000).emitWithAck(event, payload)) as Ack<T>;
      if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
      return ack.data;
    },
    close: () => void socket.disconnect(),
  };
}
