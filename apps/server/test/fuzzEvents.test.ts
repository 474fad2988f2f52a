// The fuzz test of docs/security.md: every client→server event of /lobby and /dm gets payloads of
// random shape (anything at all, the event's own keys holding hostile or near-valid values, extra
// keys, prototype pollution, wrong argument counts, no ack) from Mallory, on the attack suite's
// two real instances sharing one store and one Redis. Each answer must be a valid ack or a
// documented refusal (exactly `invalid_payload` when the schema refuses what arrived), a refusal
// must leave the whole visible state (and every upload's claim) as it was, and the server must
// keep serving. Sends also name uploads, Mallory's and Alice's. Seeded: the
// seed is printed, and `FUZZ_SEED=<n>` replays a run. Rate limits are off (startServer's test
// default), so every refusal is the payload's.
import {
  deliveredSchema,
  editSchema,
  reactionSchema,
  roomReadsSchema,
  ERROR_CODES,
  channelBrowseSchema,
  channelCreateSchema,
  channelEditSchema,
  conversationListSchema,
  dmHistorySchema,
  dmOpenSchema,
  dmReadSchema,
  dmSendSchema,
  dmSyncSchema,
  dmTypingSchema,
  emptySchema,
  groupOpenSchema,
  notifySetSchema,
  historySchema,
  lobbyTypingSchema,
  presenceQuerySchema,
  recallSchema,
  removeMessageSchema,
  reportSchema,
  roomInviteSchema,
  roomMembersSchema,
  roomRefSchema,
  roomRemoveSchema,
  sendMessageSchema,
  syncSchema,
  userSearchSchema,
  type Ack,
  type DmClientToServerEvents,
  type LobbyClientToServerEvents,
  type MessageDto,
} from '@confab/shared';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { FileClaim } from '../src/store/ports.js';
import { ask, createWorld, outcome, succeeded, sync, visibleState, type World } from './support/attack.js';
import { uploaded } from './support/files.js';
import { asReceived, fieldValue, fitsOneFrame, fuzzSeed, payloadFor } from './support/fuzzPayloads.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

const harness = useServer();
const redis = useRedisServer();

const SEED = fuzzSeed();
console.info(`fuzzEvents: FUZZ_SEED=${SEED} (set it to replay this run)`);
const RUNS_PER_EVENT = 60;
const ODD_CALLS_PER_EVENT = 25;

// `satisfies` makes a new event in the shared maps a type error here until it is fuzzed too; the
// first test checks the same against what the server actually listens to.
const LOBBY_EVENTS = {
  'message:send': sendMessageSchema,
  'message:history': historySchema,
  'message:sync': syncSchema,
  'message:recall': recallSchema,
  'message:remove': removeMessageSchema,
  'message:report': reportSchema,
  'message:edit': editSchema,
  'reaction:add': reactionSchema,
  'reaction:remove': reactionSchema,
  'typing:start': lobbyTypingSchema,
  'typing:stop': lobbyTypingSchema,
  'presence:active': emptySchema,
  'presence:get': presenceQuerySchema,
} satisfies Record<keyof LobbyClientToServerEvents, z.ZodObject>;

const DM_EVENTS = {
  'dm:send': dmSendSchema,
  'dm:history': dmHistorySchema,
  'dm:sync': dmSyncSchema,
  'dm:read': dmReadSchema,
  'dm:open': dmOpenSchema,
  'dm:conversations': conversationListSchema,
  'user:search': userSearchSchema,
  'message:recall': recallSchema,
  'message:remove': removeMessageSchema,
  'message:report': reportSchema,
  'message:edit': editSchema,
  'reaction:add': reactionSchema,
  'reaction:remove': reactionSchema,
  'dm:delivered': deliveredSchema,
  'room:reads': roomReadsSchema,
  'typing:start': dmTypingSchema,
  'typing:stop': dmTypingSchema,
  'room:list': emptySchema,
  'channel:create': channelCreateSchema,
  'channel:browse': channelBrowseSchema,
  'room:join': roomRefSchema,
  'room:leave': roomRefSchema,
  'room:invite': roomInviteSchema,
  'room:remove': roomRemoveSchema,
  'channel:edit': channelEditSchema,
  'group:open': groupOpenSchema,
  'room:members': roomMembersSchema,
  'notify:list': emptySchema,
  'notify:set': notifySetSchema,
} satisfies Record<keyof DmClientToServerEvents, z.ZodObject>;

type Surface = { nsp: '/lobby' | '/dm'; events: Record<string, z.ZodObject>; socket: Socket; barrier: [string, unknown] };

function surfaces(w: World): Surface[] {
  return [
    { nsp: '/lobby', events: LOBBY_EVENTS, socket: w.malloryLobby, barrier: ['presence:get', { userIds: [] }] },
    { nsp: '/dm', events: DM_EVENTS, socket: w.malloryDm, barrier: ['dm:conversations', { limit: 1 }] },
  ];
}

// A refusal the fuzzer may provoke; `internal` and `unavailable` mean the server failed, and
// `rate_limited` cannot happen with the limits off.
const PAYLOAD_REFUSALS = ERROR_CODES.filter((code) => !['internal', 'unavailable', 'rate_limited'].includes(code));

function expectDocumentedAck(ack: Ack<unknown>): void {
  if (ack.ok) {
    expect(Object.keys(ack).sort()).toEqual(['data', 'ok']);
    return;
  }
  expect(Object.keys(ack).sort()).toEqual(['error', 'ok']);
  expect(PAYLOAD_REFUSALS).toContain(ack.error.code);
  expect(ack.error.message).toEqual(expect.any(String));
}

const INVALID = { ok: false, error: { code: 'invalid_payload', field: expect.any(String), message: expect.any(String) } };

/** Mallory's own lobby message and DM, so that recalls and reads can also succeed. */
async function seedOwnMessages(w: World): Promise<string[]> {
  const lobby = succeeded(await ask<MessageDto>(w.malloryLobby, 'message:send', { clientId: 'mallory-own', body: 'mine' }));
  const dm = succeeded(await ask<MessageDto>(w.malloryDm, 'dm:send', { to: w.alice.user.id, clientId: 'mallory-own-dm', body: 'hi Alice' }));
  await w.rebaseline();
  return [lobby.id, dm.id];
}

/** Uploads for sends to name: a few of Mallory's (free until an accepted send takes them) and one of Alice's. */
async function seedUploads(w: World): Promise<string[]> {
  const upload = (cookie: string, name: string) => uploaded(w.a.url, cookie, { bytes: Buffer.from(`the bytes of ${name}`), name });
  const files = [...Array.from({ length: 4 }, (_, i) => upload(w.mallory.cookie, `mallory-${i}.txt`)), upload(w.alice.cookie, 'alice.txt')];
  return (await Promise.all(files)).map((file) => file.id);
}

/**
 * The sends' payloads, also naming uploads (some twice, some no upload's): the random ones with
 * `attachments` put in, and sends well-formed but for what they name, so that claims are made.
 */
function sendPayloads(event: string, payloads: fc.Arbitrary<unknown>, uploads: string[], w: World): fc.Arbitrary<unknown> {
  if (event !== 'message:send' && event !== 'dm:send') return payloads;
  const fileIds = fc.array(fc.constantFrom(...uploads, '0'.repeat(24)), { maxLength: 3 });
  const isObject = (p: unknown): p is object => typeof p === 'object' && p !== null && !Array.isArray(p);
  const people = [w.mallory, w.alice, w.bob].map((u) => u.user.id);
  const where = event === 'dm:send' ? fc.oneof(fc.record({ to: fc.constantFrom(...people) }), fc.record({ roomId: fc.constantFrom(w.pairRoom, w.privateRoom) })) : fc.constant({});
  const wellFormed = fc
    .tuple(where, fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/), fc.constantFrom('', 'see attached'), fileIds, fc.option(fc.constantFrom(...w.lobbyMessages.map((m) => m.id)), { nil: undefined }))
    .map(([place, clientId, body, attachments, replyTo]) => ({ ...place, clientId, body, attachments, ...(replyTo ? { replyTo } : {}) }));
  return fc.oneof(payloads, fc.tuple(payloads, fileIds).map(([p, attachments]) => (isObject(p) ? { ...p, attachments } : p)), wellFormed);
}

/** Each upload's claim: a refusal must leave them as they were, and none may be left without its message. */
async function claimsOf(w: World, uploads: string[]): Promise<(FileClaim | null)[]> {
  return Promise.all(uploads.map((id) => w.stores.files.claimOf(id)));
}

/** Every disconnect of Mallory's sockets: a fuzzed payload must never cost her the connection. */
function watchDisconnects(w: World): string[] {
  const reasons: string[] = [];
  for (const socket of [w.malloryLobby, w.malloryDm]) socket.on('disconnect', (reason) => reasons.push(reason));
  return reasons;
}

/** Mallory and the witnesses still chat: both her sockets send, and Alice and Bob talk across instances. */
async function expectStillServing(w: World, disconnects: string[]): Promise<void> {
  expect(disconnects).toEqual([]);
  expect(Object.keys(Object.prototype)).toEqual([]);
  succeeded(await ask(w.malloryLobby, 'message:send', { clientId: 'after-fuzz', body: 'still here' }));
  succeeded(await ask(w.malloryDm, 'dm:send', { to: w.mallory.user.id, clientId: 'after-fuzz-dm', body: 'note to self' }));
  // The lobby legitimately holds what Mallory's accepted payloads posted; Alice and Bob's room
  // must still hold only their own messages, which expectNoEffect checks.
  w.lobbyMessages.splice(0, Infinity, ...(await sync(w.bobLobby)));
  await w.rebaseline();
  w.heard.length = 0; // what the accepted payloads broadcast
  await w.expectNoEffect();
}

describe('the event surface under random payloads', () => {
  it('the server listens to exactly the events of the shared event maps', async () => {
    const w = await createWorld(harness, redis);
    const reserved = new Set(['disconnect', 'disconnecting', 'error']);
    for (const { nsp, events, socket } of surfaces(w)) {
      const serverSocket = w.a.app.io.of(nsp).sockets.get(socket.id!);
      const listened = serverSocket!.eventNames().filter((name) => typeof name === 'string' && !reserved.has(name));
      expect(listened.sort(), nsp).toEqual(Object.keys(events).sort());
    }
  });

  it('every event answers random payloads with a valid ack or a documented refusal, and a refusal changes nothing', async () => {
    const w = await createWorld(harness, redis);
    const own = await seedOwnMessages(w);
    const uploads = await seedUploads(w);
    const disconnects = watchDisconnects(w);
    let state = await visibleState(w);
    let claims = await claimsOf(w, uploads);
    const outcomes: Record<string, Record<string, number>> = {};
    for (const { nsp, events, socket } of surfaces(w)) {
      for (const [event, schema] of Object.entries(events)) {
        const tally: Record<string, number> = (outcomes[`${nsp} ${event}`] = {});
        const property = fc.asyncProperty(sendPayloads(event, payloadFor(schema, w, own), uploads, w).filter(fitsOneFrame), async (payload) => {
          const [before, claimsBefore] = [state, claims];
          const ack = await ask(socket, event, payload);
          tally[outcome(ack)] = (tally[outcome(ack)] ?? 0) + 1;
          state = await visibleState(w);
          claims = await claimsOf(w, uploads);
          expectDocumentedAck(ack);
          const received = asReceived(payload);
          if (received && !schema.safeParse(received.value).success) expect(ack).toEqual(INVALID);
          if (!ack.ok) expect(state, `${nsp} ${event} refused with ${ack.error.code} yet changed the state`).toEqual(before);
          if (!ack.ok) expect(claims, `${nsp} ${event} refused with ${ack.error.code} yet changed a claim`).toEqual(claimsBefore);
          for (const claim of claims) if (claim) expect(claim.messageId, `${nsp} ${event} left a claim without its message`).toEqual(expect.any(String));
        });
        await fc.assert(property, { seed: SEED, numRuns: RUNS_PER_EVENT, endOnFailure: true });
      }
    }
    console.info(`fuzzEvents: outcomes per event (FUZZ_SEED=${SEED})`, outcomes);
    await expectStillServing(w, disconnects);
  }, 120_000);

  it('events without an ack, with a non-function ack, without a payload or with extra arguments change nothing', async () => {
    const w = await createWorld(harness, redis);
    const own = await seedOwnMessages(w);
    const uploads = await seedUploads(w);
    const disconnects = watchDisconnects(w);
    let state = await visibleState(w);
    const claims = await claimsOf(w, uploads);
    for (const { nsp, events, socket, barrier } of surfaces(w)) {
      for (const [event, schema] of Object.entries(events)) {
        const extra = fieldValue(w, own);
        const payloads = sendPayloads(event, payloadFor(schema, w, own), uploads, w);
        const call = fc.oneof(
          fc.record({ kind: fc.constant('no ack' as const), payload: payloads }),
          fc.record({ kind: fc.constant('non-function ack' as const), payload: payloads, last: extra }),
          fc.record({ kind: fc.constant('extra arguments' as const), payload: payloads, extras: fc.array(extra, { minLength: 1, maxLength: 3 }) }),
          fc.record({ kind: fc.constant('no payload' as const) }),
        );
        const property = fc.asyncProperty(call.filter(fitsOneFrame), async (c) => {
          if (c.kind === 'extra arguments' || c.kind === 'no payload') {
            const args = c.kind === 'no payload' ? [] : [c.payload, ...c.extras];
            expect(await ask(socket, event, ...args)).toEqual({ ...INVALID, error: { ...INVALID.error, field: '' } });
          } else {
            // Dropped: no answer is expected. The server handles one socket's packets in order, so
            // once the barrier's answer is in, the dropped event has been handled too.
            if (c.kind === 'no ack') socket.emit(event, c.payload);
            else socket.emit(event, c.payload, c.last);
            succeeded(await ask(socket, ...barrier));
          }
          const before = state;
          state = await visibleState(w);
          expect(state, `${nsp} ${event} (${c.kind}) changed the state`).toEqual(before);
          expect(await claimsOf(w, uploads), `${nsp} ${event} (${c.kind}) changed a claim`).toEqual(claims);
        });
        await fc.assert(property, { seed: SEED, numRuns: ODD_CALLS_PER_EVENT, endOnFailure: true });
      }
    }
    await expectStillServing(w, disconnects);
  }, 120_000);
});
