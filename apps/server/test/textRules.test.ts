import { LIMITS, type MessageDto } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import { connectLobby, postJson, recordMessages, registerUser, request, roundTrip, uniqueName } from './support/client.js';
import { useServer } from './support/server.js';

const harness = useServer();

async function me(url: string, cookie: string) {
  const res = await fetch(`${url}/api/auth/me`, { headers: { cookie } });
  return (await res.json()) as { user: { displayName: string } };
}

describe('display names as the server stores them', () => {
  it('a fullwidth name is stored in NFKC, and the answer, the session and the author of a message all say so', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url, { displayName: '\uFF21\uFF4C\uFF49\uFF43\uFF45\u3000Admin' });
    expect(alice.user.displayName).toBe('Alice Admin');
    expect((await me(server.url, alice.cookie)).user.displayName).toBe('Alice Admin');
    const tab = harness.track(await connectLobby(server.url, alice));
    const ack = await request<MessageDto>(tab, 'message:send', { clientId: 'c-1', body: 'hi' });
    expect(ack).toMatchObject({ ok: true, data: { author: { name: 'Alice Admin' } } });
  });

  it.each([
    ['a right-to-left override', 'Alice Admin\u202E', 'U+202E'],
    ['a zero-width space', 'Alice Admin\u200B', 'U+200B'],
    ['a directional isolate', '\u2066Alice Admin', 'U+2066'],
  ])('a name with %s is refused, the character named, and no account is created', async (_, displayName, found) => {
    const server = await harness.start();
    const username = uniqueName('mallory');
    const res = await postJson(server.url, '/api/auth/register', { username, password: 'correct horse battery', displayName });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_payload',
      field: 'displayName',
      message: `displayName: display name must not contain invisible or text-direction characters (found ${found})`,
    });
    expect(res.headers.getSetCookie()).toEqual([]);
    const signIn = await postJson(server.url, '/api/auth/login', { username, password: 'correct horse battery' });
    expect(signIn.status).toBe(401);
  });

  it('a name of the limit in astral emoji is accepted whole, and one more is refused', async () => {
    const server = await harness.start();
    const name = '😀'.repeat(LIMITS.displayNameMaxLength);
    expect((await registerUser(server.url, { displayName: name })).user.displayName).toBe(name);
    const res = await postJson(server.url, '/api/auth/register', { username: uniqueName(), password: 'correct horse battery', displayName: `${name}😀` });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_payload', field: 'displayName' });
  });
});

describe('the body limit over the wire', () => {
  it('a body of the limit in astral emoji is stored and delivered whole; one more is refused and stores nothing', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    const bob = await registerUser(server.url, { displayName: 'Bob' });
    const aliceTab = harness.track(await connectLobby(server.url, alice));
    const bobTab = harness.track(await connectLobby(server.url, bob));
    const atBob = recordMessages(bobTab);
    const body = '👋'.repeat(LIMITS.bodyMaxLength);

    const accepted = await request<MessageDto>(aliceTab, 'message:send', { clientId: 'c-max', body });
    const refused = await request<MessageDto>(aliceTab, 'message:send', { clientId: 'c-over', body: `${body}👋` });

    expect(accepted).toMatchObject({ ok: true, data: { body } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'body' } });
    const stored = await roundTrip(bobTab);
    expect(stored.map((m) => m.body)).toEqual([body]);
    expect(atBob.map((m) => m.body)).toEqual([body]);
  });
});
