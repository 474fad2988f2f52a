import { beforeEach, describe, expect, it } from 'vitest';
import type { NewMessage, Stores } from '../../src/store/ports.js';

/**
 * The behaviour every store implementation must have. Run once per implementation:
 * `describeStoreContract('memory', () => createMemoryStores())`.
 */
export function describeStoreContract(name: string, makeStores: () => Promise<Stores> | Stores) {
  describe(`${name} store contract`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await makeStores();
      return () => stores.close();
    });

    const at = new Date('2026-03-01T12:00:00.000Z');
    const newUser = (username: string) => ({ username, displayName: username, passwordHash: 'hash', createdAt: at });
    const newMessage = (overrides: Partial<NewMessage> = {}): NewMessage => ({
      roomId: 'lobby',
      clientId: Math.random().toString(36).slice(2),
      author: { id: 'a'.repeat(24), name: 'Alice' },
      body: 'hello',
      createdAt: at,
      ...overrides,
    });
    async function fill(roomId: string, count: number) {
      for (let i = 1; i <= count; i += 1) await stores.messages.append(newMessage({ roomId, clientId: `${roomId}-${i}`, body: `m${i}` }));
    }
    /** What a call did with a smuggled operator object: refused it, or treated it as a plain value. */
    async function outcome<T>(call: () => Promise<T>): Promise<{ refused: true } | { refused: false; value: T }> {
      try {
        return { refused: false, value: await call() };
      } catch {
        return { refused: true };
      }
    }
    // An operator object where a string or number belongs, as a caller that skipped validation might pass it.
    const smuggled = <T,>(value: object) => value as unknown as T;

    describe('users', () => {
      it('creates a user and finds it by id and, case-insensitively, by username', async () => {
        const created = await stores.users.create(newUser('Alice'));
        if (created === 'username_taken') throw new Error('unexpected');
        expect(created).toMatchObject({ username: 'Alice', displayName: 'Alice', passwordHash: 'hash' });
        expect(created.id).toMatch(/^[0-9a-f]{24}$/);
        expect(await stores.users.findById(created.id)).toEqual(created);
        expect(await stores.users.findByUsername('aLiCe')).toEqual(created);
      });

      it('refuses a username that exists in another letter case', async () => {
        await stores.users.create(newUser('Bob'));
        expect(await stores.users.create(newUser('BOB'))).toBe('username_taken');
        expect((await stores.users.findByUsername('bob'))?.username).toBe('Bob');
      });

      it('concurrent creates of one name in different letter cases: exactly one wins', async () => {
        const names = ['Dave', 'DAVE', 'dave', 'dAvE', 'DaVe', 'daVE', 'Dave', 'dave'];
        const results = await Promise.all(names.map((name) => stores.users.create(newUser(name))));
        const winners = results.filter((r) => r !== 'username_taken');
        expect(winners).toHaveLength(1);
        expect(await stores.users.findByUsername('DAVE')).toEqual(winners[0]);
      });

      it('looks usernames up literally, never as a pattern', async () => {
        await stores.users.create(newUser('Alice'));
        for (const pattern of ['.*', 'Alic.', '^alice$', 'alic', 'alice ', '[a]lice']) {
          expect(await stores.users.findByUsername(pattern)).toBeNull();
        }
      });

      it('does not interpret an operator object smuggled into a string field', async () => {
        const alice = await stores.users.create(newUser('Alice'));
        const byName = await outcome(() => stores.users.findByUsername(smuggled({ $gt: '' })));
        expect(byName.refused || byName.value === null).toBe(true);
        const byId = await outcome(() => stores.users.findById(smuggled({ $ne: null })));
        expect(byId.refused || byId.value === null).toBe(true);
        expect(await stores.users.findByUsername('alice')).toEqual(alice);
      });

      it('finds nothing for unknown names and ids', async () => {
        expect(await stores.users.findByUsername('ghost')).toBeNull();
        expect(await stores.users.findById('0'.repeat(24))).toBeNull();
      });
    });

    describe('messages', () => {
      it('numbers a room\'s messages 1, 2, 3 and keeps rooms apart', async () => {
        const first = await stores.messages.append(newMessage({ body: 'one' }));
        const second = await stores.messages.append(newMessage({ body: 'two' }));
        const elsewhere = await stores.messages.append(newMessage({ roomId: 'other' }));
        expect([first.message.seq, second.message.seq, elsewhere.message.seq]).toEqual([1, 2, 1]);
        expect(first).toMatchObject({ isNew: true, message: { roomId: 'lobby', body: 'one', createdAt: at.toISOString(), author: { id: 'a'.repeat(24), name: 'Alice' } } });
        expect(first.message.id).toMatch(/^[0-9a-f]{24}$/);
        expect(first.message.recalledAt).toBeUndefined();
      });

      it('50 concurrent sends in one room get seqs 1..50 with no gap or repeat', async () => {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => stores.messages.append(newMessage({ clientId: `race-${i}` }))));
        expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      });

      it('a repeated (author, clientId) returns the original and takes no seq', async () => {
        const original = await stores.messages.append(newMessage({ clientId: 'dup', body: 'first' }));
        const repeat = await stores.messages.append(newMessage({ clientId: 'dup', body: 'second' }));
        expect(repeat).toEqual({ message: original.message, isNew: false });
        const next = await stores.messages.append(newMessage({ clientId: 'next' }));
        expect(next.message.seq).toBe(2);
        const otherAuthor = await stores.messages.append(newMessage({ clientId: 'dup', author: { id: 'b'.repeat(24), name: 'Bob' } }));
        expect(otherAuthor).toMatchObject({ isNew: true, message: { seq: 3 } });
      });

      it('concurrent repeats of one (author, clientId) store it once', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => stores.messages.append(newMessage({ clientId: 'same' }))));
        expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
        expect(results.filter((r) => r.isNew)).toHaveLength(1);
        expect((await stores.messages.since('lobby', { afterSeq: 0, limit: 100 })).messages).toHaveLength(1);
      });

      it('repeats racing new sends still leave 1..n with no gap', async () => {
        const sends = Array.from({ length: 20 }, (_, i) => newMessage({ clientId: `new-${i}` }));
        const repeats = Array.from({ length: 10 }, () => newMessage({ clientId: 'repeated' }));
        await Promise.all([...sends, ...repeats].map((m) => stores.messages.append(m)));
        const stored = (await stores.messages.since('lobby', { afterSeq: 0, limit: 100 })).messages;
        expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
        expect(stored.filter((m) => m.clientId === 'repeated')).toHaveLength(1);
      });

      it('stores bodies verbatim, operator-like text and all', async () => {
        const body = '{ "$gt": "" } $where a.b.c \\u0000 <script>x</script> 🎉 ünïcödé';
        const { message } = await stores.messages.append(newMessage({ body }));
        expect(message.body).toBe(body);
        expect((await stores.messages.since('lobby', { afterSeq: 0, limit: 10 })).messages[0]?.body).toBe(body);
      });

      it('does not interpret operator objects smuggled into string or number fields', async () => {
        const original = await stores.messages.append(newMessage({ clientId: 'x' }));
        const repeat = await outcome(() => stores.messages.append(newMessage({ clientId: smuggled({ $ne: null }) })));
        // Refused, or stored as a new message: never mistaken for a repeat of 'x'.
        expect(repeat.refused || (repeat.value.isNew && repeat.value.message.id !== original.message.id)).toBe(true);
        for (const page of [
          await outcome(() => stores.messages.since(smuggled({ $ne: null }), { afterSeq: 0, limit: 10 })),
          await outcome(() => stores.messages.since('lobby', { afterSeq: smuggled({ $gt: 0 }), limit: 10 })),
          await outcome(() => stores.messages.history(smuggled({ $ne: null }), { limit: 10 })),
          await outcome(() => stores.messages.history('lobby', { beforeSeq: smuggled({ $gt: 0 }), limit: 10 })),
        ]) {
          expect(page.refused || page.value.messages.length === 0).toBe(true);
        }
        const stored = await stores.messages.since('lobby', { afterSeq: 0, limit: 10 });
        expect(stored.messages[0]).toEqual(original.message);
      });

      it('history pages go back from the newest, oldest first, with no gap or overlap', async () => {
        await fill('lobby', 25);
        const newest = await stores.messages.history('lobby', { limit: 10 });
        expect(newest.messages.map((m) => m.seq)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
        expect(newest.hasMore).toBe(true);
        const middle = await stores.messages.history('lobby', { beforeSeq: 16, limit: 10 });
        expect(middle.messages.map((m) => m.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        const oldest = await stores.messages.history('lobby', { beforeSeq: 6, limit: 10 });
        expect(oldest).toMatchObject({ hasMore: false });
        expect(oldest.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(await stores.messages.history('empty', { limit: 10 })).toEqual({ messages: [], hasMore: false });
      });

      it('since returns what follows a seq, bounded, with hasMore', async () => {
        await fill('lobby', 12);
        await fill('other', 3);
        const page = await stores.messages.since('lobby', { afterSeq: 3, limit: 5 });
        expect(page.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8]);
        expect(page.hasMore).toBe(true);
        const rest = await stores.messages.since('lobby', { afterSeq: 8, limit: 5 });
        expect(rest.messages.map((m) => m.body)).toEqual(['m9', 'm10', 'm11', 'm12']);
        expect(rest.hasMore).toBe(false);
        expect(await stores.messages.since('lobby', { afterSeq: 12, limit: 5 })).toEqual({ messages: [], hasMore: false });
      });
    });

    describe('sessions', () => {
      it('finds an active session until it expires or is revoked', async () => {
        const expiresAt = new Date(at.getTime() + 60_000);
        await stores.sessions.create({ id: 's1', userId: 'u1', expiresAt });
        await stores.sessions.create({ id: 's2', userId: 'u1', expiresAt });
        expect(await stores.sessions.findActive('s1', at)).toEqual({ id: 's1', userId: 'u1', expiresAt });
        expect(await stores.sessions.findActive('s1', new Date(expiresAt.getTime() + 1))).toBeNull();
        await stores.sessions.revoke('s2');
        expect(await stores.sessions.findActive('s2', at)).toBeNull();
        expect(await stores.sessions.findActive('nope', at)).toBeNull();
      });

      it('a session ends exactly at expiresAt', async () => {
        const expiresAt = new Date(at.getTime() + 60_000);
        await stores.sessions.create({ id: 's1', userId: 'u1', expiresAt });
        expect(await stores.sessions.findActive('s1', new Date(expiresAt.getTime() - 1))).not.toBeNull();
        expect(await stores.sessions.findActive('s1', expiresAt)).toBeNull();
      });

      it('revoking one session leaves the others, and revoking an unknown or smuggled id changes nothing', async () => {
        const expiresAt = new Date(at.getTime() + 60_000);
        await stores.sessions.create({ id: 's1', userId: 'u1', expiresAt });
        await stores.sessions.create({ id: 's2', userId: 'u1', expiresAt });
        await stores.sessions.revoke('s1');
        await stores.sessions.revoke('unknown');
        await outcome(() => stores.sessions.revoke(smuggled({ $ne: null })));
        const found = await outcome(() => stores.sessions.findActive(smuggled({ $ne: null }), at));
        expect(found.refused || found.value === null).toBe(true);
        expect(await stores.sessions.findActive('s1', at)).toBeNull();
        expect(await stores.sessions.findActive('s2', at)).toEqual({ id: 's2', userId: 'u1', expiresAt });
      });
    });

    it('reports itself ready', async () => {
      expect(await stores.isReady()).toBe(true);
    });
  });
}
