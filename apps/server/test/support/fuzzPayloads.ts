import { LIMITS, dmRoomId } from '@confab/shared';
import fc from 'fast-check';
import type { z } from 'zod';
import type { World } from './attack.js';

// Arbitraries for fuzzEvents.test.ts: payloads of random shape for one event, from anything at all
// to the event's own keys holding hostile values, some of them valid ids of the attack world so
// that payloads also get past the schema and reach the services.

/** The seed of this run: `FUZZ_SEED` to replay one, else a fresh one (print it). */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(given)}`);
  return seed;
}

/**
 * The payload as the server's handler receives it: Socket.IO sends arguments as JSON (undefined
 * becomes null or disappears, NaN and ±Infinity become null, -0 becomes 0), or `undefined` when
 * the payload holds binary, which travels as attachments and is not predicted here.
 */
export function asReceived(payload: unknown): { value: unknown } | undefined {
  if (holdsBinary(payload)) return undefined;
  return { value: (JSON.parse(JSON.stringify([payload])) as unknown[])[0] };
}

function holdsBinary(value: unknown, depth = 0): boolean {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return true;
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v) => holdsBinary(v, depth + 1));
}

/** Strings that break something somewhere: lengths at and past the limits, invisible, bidi, broken UTF-16, operators. */
function hostileStrings(): string[] {
  return [
    '',
    ' ',
    '\u0000',
    '\uD800',
    'x\uDFFFy',
    '\u200B\u200C\u200D\u2060',
    '\u3164',
    '\u2800',
    'admin\u202Etxt.exe',
    'e\u0301\u0301\u0301',
    '👩‍👩‍👧‍👦',
    'Ａｌｉｃｅ',
    'x'.repeat(LIMITS.bodyMaxLength),
    'x'.repeat(LIMITS.bodyMaxLength + 1),
    '😀'.repeat(LIMITS.bodyMaxLength + 1),
    'a'.repeat(LIMITS.clientIdMaxLength + 1),
    '/'.repeat(16_000),
    '$where',
    '$gt',
    '__proto__',
    'constructor',
    '.*',
    '^(a+)+$',
    'a'.repeat(LIMITS.usernameMaxLength * 2 + 1),
    '{"$ne":null}',
  ];
}

function hostileNumbers(): number[] {
  return [
    0, -0, 1, -1, 0.5, 1e-300, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308,
    Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
    LIMITS.historyPageMax, LIMITS.historyPageMax + 1, LIMITS.conversationPageMax + 1, LIMITS.userSearchPageMax + 1, LIMITS.presenceQueryMax + 1,
  ];
}

/** Values near the valid ones: the world's real user, room and message ids, some altered. */
function worldValues(w: World, ownMessageIds: string[]): unknown[] {
  const [m, a, b] = [w.mallory.user, w.alice.user, w.bob.user];
  const ids = [m.id, a.id, b.id];
  const messageIds = [...w.lobbyMessages, ...w.pairMessages].map((message) => message.id).concat(ownMessageIds);
  return [
    ...ids,
    ...messageIds,
    m.id.toUpperCase(),
    m.id.slice(1),
    `${m.id}0`,
    '0'.repeat(24),
    'f'.repeat(24),
    dmRoomId(m.id, a.id),
    dmRoomId(m.id, m.id),
    dmRoomId(a.id, b.id),
    `dm:${[m.id, a.id].sort().reverse().join(':')}`,
    'lobby',
    'dm:',
    m.username,
    a.username,
    a.username.toUpperCase(),
    'nobody-here',
    'fuzz-client-id',
    'hello',
    ids,
    Array.from({ length: LIMITS.presenceQueryMax + 1 }, () => a.id),
  ];
}

function operatorObjects(): unknown[] {
  return [
    { $gt: '' },
    { $ne: null },
    { $regex: '.*' },
    { $where: 'sleep(1000) || true' },
    { $in: ['a', 'b'] },
    { $exists: true },
    JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
    { constructor: { prototype: { polluted: 'yes' } } },
    { toString: 'not a function', valueOf: 1 },
    { length: 1e9 },
  ];
}

/** One hostile or near-valid value for a field. */
export function fieldValue(w: World, ownMessageIds: string[]): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...worldValues(w, ownMessageIds)) },
    { weight: 3, arbitrary: fc.constantFrom(...hostileStrings()) },
    { weight: 3, arbitrary: fc.constantFrom(...hostileNumbers()) },
    { weight: 2, arbitrary: fc.constantFrom(...operatorObjects()) },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, [], {}, Buffer.from('fuzz')) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }) },
  );
  return fc.oneof({ weight: 6, arbitrary: leaf }, { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) });
}

/**
 * Values that fit a field of this name, so that whole payloads pass the schema often enough to
 * reach the services (other users' rooms and messages included); unknown names get hostile values.
 */
function plausibleFor(key: string, w: World, ownMessageIds: string[]): fc.Arbitrary<unknown> | undefined {
  const [m, a, b] = [w.mallory.user, w.alice.user, w.bob.user];
  const seq = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(1, LIMITS.historyPageMax, Number.MAX_SAFE_INTEGER));
  const rooms = fc.constantFrom(dmRoomId(m.id, a.id), dmRoomId(m.id, m.id), dmRoomId(m.id, b.id), dmRoomId(a.id, b.id));
  const byName: Record<string, fc.Arbitrary<unknown>> = {
    clientId: fc.oneof(fc.constantFrom('mallory-own', 'mallory-own-dm', 'seed-lobby', 'seed-dm'), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)),
    body: fc.oneof(fc.constantFrom('hello', ' padded ', 'e\u0301', '👋', 'x'.repeat(LIMITS.bodyMaxLength)), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 })),
    to: fc.constantFrom(m.id, a.id, b.id, '0'.repeat(24)),
    roomId: rooms,
    id: fc.constantFrom(...ownMessageIds, ...[...w.lobbyMessages, ...w.pairMessages].map((message) => message.id), 'f'.repeat(24)),
    seq,
    afterSeq: seq,
    beforeSeq: seq,
    limit: fc.integer({ min: 1, max: LIMITS.conversationPageMax }),
    username: fc.constantFrom(a.username, a.username.toUpperCase(), m.username, b.username, 'nobody-here'),
    query: fc.oneof(fc.constantFrom('', 'a', a.username.slice(0, 3), 'Bo'), fc.string({ maxLength: 10 })),
    cursor: fc.string({ maxLength: 30 }),
    userIds: fc.array(fc.constantFrom(m.id, a.id, b.id, '0'.repeat(24)), { maxLength: 5 }),
  };
  return byName[key];
}

/**
 * Payloads for an event whose schema is `schema`: anything at all; the schema's keys (some
 * missing) holding near-valid or hostile values; the same with extra keys; a prototype-pollution
 * attempt; and the payload wrapped in an array.
 */
export function payloadFor(schema: z.ZodObject, w: World, ownMessageIds: string[]): fc.Arbitrary<unknown> {
  const value = fieldValue(w, ownMessageIds);
  const keys = Object.keys(schema.shape);
  const near = (key: string) => {
    const plausible = plausibleFor(key, w, ownMessageIds);
    return plausible ? fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: value }) : value;
  };
  const shaped = fc.record(Object.fromEntries(keys.map((key) => [key, near(key)])), { requiredKeys: [] });
  const complete = fc.record(Object.fromEntries(keys.map((key) => [key, near(key)])));
  const extras = fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('$where', '__proto__', 'constructor', 'id', 'authorId', 'roomId')), value, {
    minKeys: 1,
    maxKeys: 3,
  });
  return fc.oneof(
    { weight: 3, arbitrary: fc.anything({ maxDepth: 3 }) },
    { weight: 6, arbitrary: complete },
    { weight: 3, arbitrary: shaped },
    { weight: 2, arbitrary: fc.tuple(complete, extras).map(([payload, extra]) => ({ ...payload, ...extra })) },
    { weight: 1, arbitrary: complete.map((payload) => Object.assign(JSON.parse('{"__proto__":{"polluted":"yes"}}') as object, payload)) },
    { weight: 1, arbitrary: complete.map((payload) => [payload]) },
    { weight: 1, arbitrary: value },
  ).filter(fitsOneFrame);
}

/** A frame over `LIMITS.maxFrameBytes` closes the connection by design (the attack suite covers it): keep under it. */
export function fitsOneFrame(payload: unknown): boolean {
  return Buffer.byteLength(JSON.stringify([payload]) ?? '') < LIMITS.maxFrameBytes - 1024;
}
