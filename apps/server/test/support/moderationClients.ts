import { LOBBY_ROOM_ID, type Ack, type AdminClientToServerEvents, type AdminServerToClientEvents, type MessageDto, type MessagePage, type UserDto } from '@confab/shared';
import { io, type Socket } from 'socket.io-client';
import type { RunningServer, StartServerOptions } from '../../src/testing.js';
import { request, settle, type TestUser } from './client.js';
import { dmRequest, dmRoundTrip } from './dmClient.js';
import { ok, openTab, type Tab } from './roomClients.js';

export type AdminClient = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

/**
 * A server and one signed-in tab per name (a user of that name); "Ada" is made an admin, everyone
 * else is a member. `opened` collects the sockets, for the test file to disconnect.
 */
export async function moderationWorld(
  harness: { start(options?: StartServerOptions): Promise<RunningServer> },
  opened: { push(socket: { disconnect(): unknown }): unknown },
  names: string[],
  options: StartServerOptions = {},
) {
  const server = await harness.start(options);
  const people = await Promise.all(names.map((name) => server.seedUser(name)));
  if (names.includes('Ada')) await promote(server, people[names.indexOf('Ada')]!.user);
  const tabs = await Promise.all(people.map((person) => openTab(server.url, person, opened)));
  const person = (name: string) => {
    if (!names.includes(name)) throw new Error(`nobody named ${name} in this world`);
    return people[names.indexOf(name)]!;
  };
  return { server, tab: (name: string) => tabs[names.indexOf(name)]!, person };
}

/** A round trip on both of each tab's sockets: what the server sent them before has arrived. */
export async function drain(...tabs: Tab[]): Promise<void> {
  await Promise.all(tabs.flatMap((tab) => [dmRoundTrip(tab.dm), request(tab.lobby, 'message:history', { limit: 1 })]));
  await settle(50);
}

/** Sends to the lobby (`message:send`), with a fresh clientId. */
export function lobbySend(tab: Tab, body: string, attachments?: string[]): Promise<MessageDto> {
  return ok(request<MessageDto>(tab.lobby, 'message:send', { clientId: `m-${Math.random().toString(36).slice(2, 10)}`, body, ...(attachments ? { attachments } : {}) }));
}

/** The room's newest 50 entries as the tab reads them. */
export function historyOf(tab: Tab, roomId: string = LOBBY_ROOM_ID): Promise<MessageDto[]> {
  return ok(dmRequest<MessagePage>(tab.dm, 'dm:history', { roomId, limit: 50 })).then((page) => page.messages);
}

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
