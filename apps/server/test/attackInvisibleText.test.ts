// Attack cases for invisible and direction-changing text (issue #13, item 8), in the attack
// suite's world: two instances sharing one memory store and one redis-server, real sockets.
// Each case checks the exact refusal, then (expectNoEffect) that nothing was stored or
// broadcast and that Alice and Bob still chat across instances.
import { LIMITS } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import { ask, createWorld } from './support/attack.js';
import { postJson, uniqueName } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

const harness = useServer();
const redis = useRedisServer();

const NOTHING_VISIBLE = { ok: false, error: { code: 'invalid_payload', field: 'body', message: 'body: body must contain a visible character' } };

const invisibleBodies: [string, string][] = [
  ['zero-width spaces (U+200B)', '\u200B\u200B\u200B'],
  ['zero-width non-joiners and joiners (U+200C, U+200D)', '\u200C\u200D\u200C'],
  ['a word joiner (U+2060)', '\u2060'],
  ['Hangul fillers (U+3164)', '\u3164\u3164'],
  ['braille blanks (U+2800) and byte-order marks (U+FEFF) between spaces', ' \u2800\uFEFF\u2800 \n'],
  ['direction controls only', '\u202E\u2066\u200F'],
];

describe('a body with no visible character', () => {
  it.each(invisibleBodies)('made of %s is invalid_payload in message:send and dm:send, and leaves no trace', async (_name, body) => {
    const w = await createWorld(harness, redis);
    const lobby = await ask(w.malloryLobby, 'message:send', { clientId: 'invisible', body });
    const dm = await ask(w.malloryDm, 'dm:send', { to: w.bob.user.id, clientId: 'invisible-dm', body });
    const notes = await ask(w.malloryDm, 'dm:send', { to: w.mallory.user.id, clientId: 'invisible-self', body });
    expect([lobby, dm, notes]).toEqual([NOTHING_VISIBLE, NOTHING_VISIBLE, NOTHING_VISIBLE]);
    await w.expectNoEffect();
  });

  it('is still refused when it fills the whole length limit', async () => {
    const w = await createWorld(harness, redis);
    const body = '\u200B'.repeat(LIMITS.bodyMaxLength);
    const acks = [
      await ask(w.malloryLobby, 'message:send', { clientId: 'long-invisible', body }),
      await ask(w.malloryDm, 'dm:send', { to: w.bob.user.id, clientId: 'long-invisible-dm', body }),
    ];
    expect(acks).toEqual([NOTHING_VISIBLE, NOTHING_VISIBLE]);
    await w.expectNoEffect();
  });
});

describe('a display name with nothing visible or a direction control', () => {
  const names: [string, string, string][] = [
    ['zero-width spaces', '\u200B\u200B', 'U+200B'],
    ['a word joiner and a zero-width joiner', '\u2060\u200D', 'U+2060'],
    ['a Hangul filler', '\u3164', 'U+3164'],
    ['a braille blank', '\u2800', 'U+2800'],
    ['"admin" + RIGHT-TO-LEFT OVERRIDE + "txt.exe" (shown as "adminexe.txt")', 'admin\u202Etxt.exe', 'U+202E'],
  ];

  it.each(names)('of %s is refused at registration: nobody is created or signed in', async (_name, displayName, found) => {
    const w = await createWorld(harness, redis);
    const username = uniqueName('ghost');
    const res = await postJson(w.b.url, '/api/auth/register', { username, password: 'correct horse battery', displayName });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'invalid_payload',
        field: 'displayName',
        message: `displayName: display name must not contain invisible or text-direction characters (found ${found})`,
      },
    });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await w.stores.users.findByUsername(username)).toBeNull();
    await w.expectNoEffect();
  });
});
