import type { MessageDto } from '@confab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/testing.js';
import type { Stores } from '../src/store/ports.js';
import { connectLobby, postJson, recordMessages, registerUser, request, roundTrip, type LobbyClient, type TestUser } from './support/client.js';
import { dropDatabase, openTestStores, snapshotDatabase, testDatabaseName } from './support/mongo.js';

// Operator objects sent through every path that ends in a query, against a server on the mongo
// store: each is refused as invalid_payload, and the database is byte-for-byte what it was.
const dbName = testDatabaseName(import.meta.filename);
let stores: Stores;
let server: RunningServer;
let alice: TestUser;
let sender: LobbyClient;
let observer: LobbyClient;

beforeAll(async () => {
  stores = await openTestStores(dbName);
  server = await startServer({ stores });
  alice = await registerUser(server.url, { username: 'alice_safety', password: 'correct horse battery' });
  sender = await connectLobby(server.url, alice);
  observer = await connectLobby(server.url, await registerUser(server.url));
  const stored = await request<MessageDto>(sender, 'message:send', { clientId: 'kept', body: 'already here' });
  expect(stored.ok).toBe(true);
  const snapshot = await snapshotDatabase(dbName);
  expect([snapshot.users?.length, snapshot.messages?.length, snapshot.sessions?.length]).toEqual([2, 1, 2]);
});

afterAll(async () => {
  sender?.disconnect();
  observer?.disconnect();
  await server?.close();
  await stores?.close();
  await dropDatabase(dbName);
});

describe('operator objects never reach the database as operators', () => {
  it.each([
    ['/api/auth/login', { username: { $gt: '' }, password: 'correct horse battery' }, 'username'],
    ['/api/auth/login', { username: { $regex: '^alice' }, password: 'correct horse battery' }, 'username'],
    ['/api/auth/login', { username: 'alice_safety', password: { $ne: null } }, 'password'],
    ['/api/auth/register', { username: { $gt: '' }, password: 'long enough' }, 'username'],
    ['/api/auth/register', { username: 'mallory', password: { $ne: null } }, 'password'],
    ['/api/auth/register', { username: 'mallory', password: 'long enough', displayName: { $ne: null } }, 'displayName'],
  ])('POST %s with %j is a 400 on %s', async (path, body, field) => {
    const before = await snapshotDatabase(dbName);
    const res = await postJson(server.url, path, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_payload', field });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await snapshotDatabase(dbName)).toEqual(before);
  });

  it.each([
    ['message:send', { clientId: { $ne: null }, body: 'hi' }, 'clientId'],
    ['message:send', { clientId: { $gt: '' }, body: 'again' }, 'clientId'],
    ['message:send', { clientId: 'op-body', body: { $gt: '' } }, 'body'],
    ['message:history', { beforeSeq: { $gt: 0 } }, 'beforeSeq'],
    ['message:history', { limit: { $gt: 0 } }, 'limit'],
    ['message:sync', { afterSeq: { $gt: 0 } }, 'afterSeq'],
    ['message:sync', { afterSeq: { $where: 'sleep(1000) || true' } }, 'afterSeq'],
  ])('%s with %j is invalid_payload on %s', async (event, payload, field) => {
    const before = await snapshotDatabase(dbName);
    const received = recordMessages(observer);
    const res = await request(sender, event, payload);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload', field } });
    expect(await snapshotDatabase(dbName)).toEqual(before);
    expect((await roundTrip(observer)).map((m) => m.body)).toEqual(['already here']);
    expect(received).toEqual([]);
  });

  it('the original owner of a clientId still gets their message back, untouched', async () => {
    const again = await request<MessageDto>(sender, 'message:send', { clientId: 'kept', body: 'already here' });
    expect(again).toMatchObject({ ok: true, data: { seq: 1, clientId: 'kept', body: 'already here' } });
  });
});
