import type { Ack, MessageDto, MessagePage, RoomSummaryDto, UserDto } from '@confab/shared';
import { connectLobby, request, type LobbyClient, type TestUser } from './client.js';
import { connectDm, dmRequest, type DmClient } from './dmClient.js';

/** One signed-in tab: a `/lobby` and a `/dm` socket of the same user, as the web app holds them. */
export interface Tab {
  user: UserDto;
  lobby: LobbyClient;
  dm: DmClient;
}

/**
 * Connects both namespaces and waits until the server has put both sockets in the user's
 * rooms: it does so after CONNECT, reading the store, so a round trip on each socket that reads
 * the same store (answered after that read) is what "ready" means to a client.
 */
export async function openTab(url: string, user: TestUser, opened?: { push(socket: { disconnect(): unknown }): unknown }): Promise<Tab> {
  const [lobby, dm] = await Promise.all([connectLobby(url, user), connectDm(url, user)]);
  opened?.push(lobby);
  opened?.push(dm);
  await Promise.all([ok(dmRequest(dm, 'room:list', {})), ok(request(lobby, 'message:history', { limit: 1 }))]);
  return { user: user.user, lobby, dm };
}

/** The ack's data; throws with the error when it was refused. */
export async function ok<T>(pending: Promise<Ack<T>>): Promise<T> {
  const ack = await pending;
  if (!ack.ok) throw new Error(`refused: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

export function roomList(tab: Tab): Promise<RoomSummaryDto[]> {
  return ok(dmRequest<{ rooms: RoomSummaryDto[] }>(tab.dm, 'room:list', {})).then((data) => data.rooms);
}

/** Creates a channel as `tab`'s user (public unless `isPrivate`) and returns its id. */
export async function createChannel(tab: Tab, name: string, options: { isPrivate?: boolean; topic?: string } = {}): Promise<string> {
  const summary = await ok(dmRequest<RoomSummaryDto>(tab.dm, 'channel:create', { name, private: options.isPrivate ?? false, ...(options.topic ? { topic: options.topic } : {}) }));
  return summary.room.id;
}

let sent = 0;
/** Sends a message into a room over `/dm` (`dm:send` with `roomId`), with a fresh clientId. */
export function say(tab: Tab, roomId: string, body: string): Promise<MessageDto> {
  sent += 1;
  return ok(dmRequest<MessageDto>(tab.dm, 'dm:send', { roomId, clientId: `say-${sent}-${Math.random().toString(36).slice(2, 8)}`, body }));
}

/** Every entry of a room, oldest first, paging through `dm:sync`. */
export async function streamOf(tab: Tab, roomId: string): Promise<MessageDto[]> {
  const entries: MessageDto[] = [];
  for (let after = 0; ; ) {
    const page = await ok(dmRequest<MessagePage>(tab.dm, 'dm:sync', { roomId, afterSeq: after }));
    entries.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return entries;
    after = page.messages.at(-1)!.seq;
  }
}

/** A room's event entries as `type` or `type:who` (the user added or removed, or the new name), in seq order. */
export function eventsOf(entries: MessageDto[]): string[] {
  return entries
    .filter((entry) => entry.event)
    .map((entry) => {
      const event = entry.event!;
      const detail = event.user?.name ?? event.name ?? event.topic;
      return `${event.type}:${entry.author.name}${detail !== undefined ? `:${detail}` : ''}`;
    });
}

/** Records every event of `name` a socket receives (any namespace). */
export function heard<T = unknown>(socket: { on(event: string, listener: (payload: T) => void): unknown }, name: string): T[] {
  const received: T[] = [];
  socket.on(name, (payload: T) => received.push(payload));
  return received;
}

/** A channel or group id of the right shape that no room has. */
export function ghostRoomId(kind: 'c' | 'g'): string {
  return `${kind}:${Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('')}`;
}
