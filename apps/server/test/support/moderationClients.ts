import type { Ack, AdminClientToServerEvents, AdminServerToClientEvents, MessageDto, UserDto } from '@confab/shared';
import { io, type Socket } from 'socket.io-client';
import type { RunningServer } from '../../src/testing.js';
import type { TestUser } from './client.js';
import { dmRequest } from './dmClient.js';
import { ok, type Tab } from './roomClients.js';

export type AdminClient = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

/** Makes the user an admin, straight in the store (as `ADMIN_USERNAMES` or a promotion would). */
export async function promote(server: Pick<RunningServer, 'stores'>, user: UserDto): Promise<void> {
  if (!(await server.stores.users.setRole(user.id, 'admin'))) throw new Error(`no user ${user.id} to promote`);
}

/** Connects an `/admin` socket for the user and resolves once the server accepted it. */
export async function connectAdmin(baseUrl: string, user: TestUser): Promise<AdminClient> {
  const socket: AdminClient = io(`${baseUrl}/admin`, { autoConnect: false, reconnection: false, forceNew: true, transports: ['websocket'], extraHeaders: { cookie: user.cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  return socket;
}

/** Emits on `/admin` with an ack and a timeout; untyped, as tests send what the protocol forbids. */
export function adminRequest<T>(socket: AdminClient, event: string, payload: unknown): Promise<Ack<T>> {
  return (socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(event, payload);
}

/** `message:remove` over the tab's `/dm` socket (any room; `/lobby` answers the same). */
export function removeMessage(tab: Tab, id: string): Promise<Ack<MessageDto>> {
  return dmRequest<MessageDto>(tab.dm, 'message:remove', { id });
}

/** `message:report` over the tab's `/dm` socket. */
export function reportMessage(tab: Tab, id: string, reason?: string): Promise<Ack<null>> {
  return dmRequest<null>(tab.dm, 'message:report', { id, ...(reason === undefined ? {} : { reason }) });
}

/** The entries of `entries` that recall or remove `messageId`. */
export function removalsOf(entries: readonly MessageDto[], messageId: string): MessageDto[] {
  return entries.filter((entry) => entry.recall?.messageId === messageId);
}

export { ok };
