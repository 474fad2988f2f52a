import type { AttachmentDto, ConversationDto, ConversationPage, MessageDto, MessagePage, RoomSummaryDto } from '@confab/shared';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Stores } from '../src/store/ports.js';
import { startServer, type RunningServer } from '../src/testing.js';
import { postJson, registerUser, request, sessionCookieFrom, type TestUser } from './support/client.js';
import { withDatabase } from './support/cliProcess.js';
import { dmRequest } from './support/dmClient.js';
import { download, noisyPng, uploaded } from './support/files.js';
import { dropDatabase, mongoUrl, openTestStores, snapshotDatabase, testDatabaseName } from './support/mongo.js';
import { installMongoTools, isFerretDb, runTool, type MongoTools } from './support/mongoTools.js';
import { createChannel, ok, openTab, roomList, say, streamOf, type Tab } from './support/roomClients.js';

// The backup docs/operations.md describes, done for real: a database filled through a running
// server is dumped with mongodump --archive --gzip, restored with mongorestore into a fresh
// database, and a server started on the copy finds every account, room, message and file.

const PASSWORD = 'correct horse battery';
const SECRET = 'backup-test-session-secret-0123456789abcdef';

let tools: MongoTools;
beforeAll(async () => {
  tools = await installMongoTools();
}, 15 * 60_000);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverOn(dbName: string): Promise<{ server: RunningServer; stores: Stores }> {
  const stores = await openTestStores(dbName);
  cleanups.push(() => dropDatabase(dbName), () => stores.close());
  const server = await startServer({ stores, config: { sessionSecret: SECRET } });
  cleanups.push(() => server.close());
  return { server, stores };
}

async function tabOf(url: string, user: TestUser): Promise<Tab> {
  const tab = await openTab(url, user);
  cleanups.push(async () => {
    tab.lobby.disconnect();
    tab.dm.disconnect();
  });
  return tab;
}

/** Signs in with the password, as a person would on the restored server. */
async function signedIn(url: string, user: TestUser): Promise<TestUser> {
  const res = await postJson(url, '/api/auth/login', { username: user.user.username, password: PASSWORD });
  expect(res.status).toBe(200);
  return { user: res.body.user, cookie: sessionCookieFrom(res.headers) };
}

interface View {
  rooms: Pick<RoomSummaryDto['room'], 'id' | 'kind' | 'name'>[];
  conversations: ConversationDto[];
  streams: Record<string, MessageDto[]>;
  lobby: MessageDto[];
}

/** What a member sees: their rooms (by id, kind and name), their DMs, every channel's and DM's whole stream, the lobby's history. */
async function viewOf(tab: Tab): Promise<View> {
  const summaries = await roomList(tab);
  const rooms = summaries.map(({ room }) => ({ id: room.id, kind: room.kind, name: room.name })).sort((a, b) => a.id.localeCompare(b.id));
  const { conversations } = await ok(dmRequest<ConversationPage>(tab.dm, 'dm:conversations', { limit: 50 }));
  const streams: Record<string, MessageDto[]> = {};
  for (const id of [...rooms.filter((r) => r.kind !== 'lobby').map((r) => r.id), ...conversations.map((c) => c.roomId)]) streams[id] = await streamOf(tab, id);
  const lobby = await ok(request<MessagePage>(tab.lobby, 'message:history', { limit: 50 }));
  return { rooms, conversations, streams, lobby: lobby.messages };
}

describe('a backup made with mongodump', () => {
  it('restores with mongorestore into a fresh database where a server finds the accounts, rooms, messages and files intact', { timeout: 300_000 }, async () => {
    const sourceDb = testDatabaseName('backupSource');
    const restoredDb = testDatabaseName('backupRestored');
    const dir = await mkdtemp(join(tmpdir(), 'confab-backup-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));

    // Filled through the server, as people would.
    const { server: source } = await serverOn(sourceDb);
    const alice = await registerUser(source.url, { password: PASSWORD });
    const bob = await registerUser(source.url, { password: PASSWORD, displayName: 'Bob Builder' });
    const aliceTab = await tabOf(source.url, alice);
    const bobTab = await tabOf(source.url, bob);
    const channel = await createChannel(aliceTab, 'general', { topic: 'everything' });
    await ok(dmRequest(bobTab.dm, 'room:join', { roomId: channel }));
    await say(aliceTab, channel, 'welcome, everyone');
    await say(bobTab, channel, 'thanks!');
    // Larger than one GridFS chunk (255 KiB), with a thumbnail: both blobs must come back whole.
    const photoBytes = await noisyPng(1024, 768);
    expect(photoBytes.length).toBeGreaterThan(300 * 1024);
    const photo: AttachmentDto = await uploaded(source.url, alice.cookie, { bytes: photoBytes, name: 'whiteboard.png', type: 'image/png' });
    await ok(dmRequest(aliceTab.dm, 'dm:send', { roomId: channel, clientId: 'with-photo', body: 'the whiteboard', attachments: [photo.id] }));
    await ok(dmRequest(aliceTab.dm, 'dm:send', { to: bob.user.id, clientId: 'private-1', body: 'just between us' }));
    await ok(request(aliceTab.lobby, 'message:send', { clientId: 'lobby-1', body: 'hello, lobby' }));
    // As the server keeps them (an image is stored re-encoded, without its metadata).
    const fileBytes = (await download(source.url, alice.cookie, photo.id)).bytes;
    const thumbnailBytes = (await download(source.url, alice.cookie, photo.id, { thumbnail: true })).bytes;
    expect([fileBytes.length > 255 * 1024, thumbnailBytes.length > 0]).toEqual([true, true]);
    const before = { alice: await viewOf(aliceTab), bob: await viewOf(bobTab) };
    // What must come back: a channel with three messages (one with the photo), a DM, a lobby message.
    expect(before.alice.rooms.map((r) => r.kind)).toEqual(expect.arrayContaining(['lobby', 'public_channel']));
    expect(before.alice.streams[channel]!.map((m) => m.body)).toEqual(expect.arrayContaining(['welcome, everyone', 'thanks!', 'the whiteboard']));
    expect(before.bob.conversations.map((c) => [c.peer.id, c.lastMessage?.body])).toEqual([[alice.user.id, 'just between us']]);
    expect(before.bob.lobby.map((m) => m.body)).toContain('hello, lobby');

    // The backup, taken while the server runs, and the restore into a database of its own.
    const archive = join(dir, 'confab-backup.gz');
    const dumped = await snapshotDatabase(sourceDb);
    await runTool(tools.mongodump, [`--uri=${withDatabase(mongoUrl(), sourceDb)}`, `--archive=${archive}`, '--gzip']);
    expect((await stat(archive)).size).toBeGreaterThan(fileBytes.length / 2);
    // FerretDB 1.x refuses the `ns` option mongorestore sends with each index (FerretDB issue
    // #4638); Confab builds every index it needs when it starts, so the data alone is restored.
    const onFerretDb = await isFerretDb(mongoUrl());
    cleanups.push(() => dropDatabase(restoredDb));
    await runTool(tools.mongorestore, [
      `--uri=${mongoUrl()}`,
      `--archive=${archive}`,
      '--gzip',
      `--nsInclude=${sourceDb}.*`,
      `--nsFrom=${sourceDb}.*`,
      `--nsTo=${restoredDb}.*`,
      ...(onFerretDb ? ['--noIndexRestore'] : []),
    ]);

    // Every document of every collection, GridFS's included, is back as it was.
    expect(await snapshotDatabase(restoredDb)).toEqual(dumped);

    // A server on the copy: people sign in with their passwords and find everything.
    const { server: restored } = await serverOn(restoredDb);
    const aliceAgain = await signedIn(restored.url, alice);
    const bobAgain = await signedIn(restored.url, bob);
    expect([aliceAgain.user.id, bobAgain.user.id, bobAgain.user.displayName]).toEqual([alice.user.id, bob.user.id, 'Bob Builder']);
    const after = { alice: await viewOf(await tabOf(restored.url, aliceAgain)), bob: await viewOf(await tabOf(restored.url, bobAgain)) };
    expect(after).toEqual(before);
    const file = await download(restored.url, bobAgain.cookie, photo.id);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(fileBytes)).toBe(true);
    const thumbnail = await download(restored.url, bobAgain.cookie, photo.id, { thumbnail: true });
    expect([thumbnail.status, thumbnail.bytes.equals(thumbnailBytes)]).toEqual([200, true]);
    // The copy's indexes are in place (restored, or built at start-up): a username stays unique.
    const duplicate = await postJson(restored.url, '/api/auth/register', { username: alice.user.username, password: PASSWORD });
    expect([duplicate.status, duplicate.body?.error?.code]).toEqual([409, 'username_taken']);
  });
});
