import { LIMITS, dmRoomId } from '@confab/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NewMessage, StoredMessage, Stores } from '../../src/store/ports.js';
import { describeModerationContract } from './moderationContract.js';
import { describeRichMessagesContract } from './richMessagesContract.js';

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
    const newUser = (username: string, displayName = username) => ({ username, displayName, passwordHash: 'hash', createdAt: at });
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    /** The same calls in a fixed scrambled order, so "the last to finish wins" would show. */
    const scrambled = <T,>(items: T[]) => items.map((item, i) => ({ item, key: (i * 7919) % 101 })).sort((a, b) => a.key - b.key).map((x) => x.item);
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

      it('replaces one user\'s password hash; an unknown or smuggled id changes nothing', async () => {
        const alice = await stores.users.create(newUser('Alice'));
        const bob = await stores.users.create(newUser('Bob'));
        if (alice === 'username_taken' || bob === 'username_taken') throw new Error('unexpected');
        expect(await stores.users.setPasswordHash(alice.id, 'new-hash')).toBe(true);
        expect(await stores.users.setPasswordHash('f'.repeat(24), 'other')).toBe(false);
        const smuggledCall = await outcome(() => stores.users.setPasswordHash(smuggled({ $ne: null }), 'evil'));
        expect(smuggledCall.refused || smuggledCall.value === false).toBe(true);
        expect((await stores.users.findById(alice.id))?.passwordHash).toBe('new-hash');
        expect((await stores.users.findByUsername('bob'))?.passwordHash).toBe('hash');
      });

      it('finds nothing for unknown names and ids', async () => {
        expect(await stores.users.findByUsername('ghost')).toBeNull();
        expect(await stores.users.findById('0'.repeat(24))).toBeNull();
      });

      describe('directory search', () => {
        async function directory() {
          for (const [username, displayName] of [
            ['bob', 'Alfred Bob'],
            ['ALvin', 'Vin'],
            ['albert', 'Zed'],
            ['carol', 'Carol'],
            ['dave', 'Al😀 Dave'],
            ['zoe', 'ÁLVARO 🎉'],
            ['star', '.*Star (the) $1 [x]'],
          ] as const) {
            await stores.users.create(newUser(username, displayName));
          }
        }
        const usernames = (users: { username: string }[]) => users.map((u) => u.username);

        it('finds users whose username or display name starts with the query, in any letter case, ordered by lower-cased username', async () => {
          await directory();
          expect(usernames(await stores.users.search({ prefix: 'AL', limit: 10 }))).toEqual(['albert', 'ALvin', 'bob', 'dave']);
          expect(usernames(await stores.users.search({ prefix: 'alfred b', limit: 10 }))).toEqual(['bob']);
          expect(usernames(await stores.users.search({ prefix: 'z', limit: 10 }))).toEqual(['albert', 'zoe']);
          expect(usernames(await stores.users.search({ prefix: 'álvaro 🎉', limit: 10 }))).toEqual(['zoe']);
          expect(usernames(await stores.users.search({ prefix: 'al😀', limit: 10 }))).toEqual(['dave']);
          expect(await stores.users.search({ prefix: 'alberto', limit: 10 })).toEqual([]);
          expect(await stores.users.search({ prefix: 'vin ', limit: 10 })).toEqual([]);
        });

        it('returns whole user records', async () => {
          const alice = await stores.users.create(newUser('Alice', 'Queen of Hearts'));
          expect(await stores.users.search({ prefix: 'queen', limit: 10 })).toEqual([alice]);
        });

        it('an empty query matches everyone', async () => {
          await directory();
          expect(usernames(await stores.users.search({ prefix: '', limit: 10 }))).toEqual(['albert', 'ALvin', 'bob', 'carol', 'dave', 'star', 'zoe']);
        });

        it('pages by lower-cased username with limit and afterUsername, with no gap or overlap', async () => {
          await directory();
          const first = await stores.users.search({ prefix: '', limit: 3 });
          expect(usernames(first)).toEqual(['albert', 'ALvin', 'bob']);
          const second = await stores.users.search({ prefix: '', afterUsername: 'bob', limit: 3 });
          expect(usernames(second)).toEqual(['carol', 'dave', 'star']);
          expect(usernames(await stores.users.search({ prefix: '', afterUsername: 'star', limit: 3 }))).toEqual(['zoe']);
          expect(await stores.users.search({ prefix: '', afterUsername: 'zoe', limit: 3 })).toEqual([]);
          expect(usernames(await stores.users.search({ prefix: 'al', afterUsername: 'alvin', limit: 1 }))).toEqual(['bob']);
          expect(usernames(await stores.users.search({ prefix: 'al', afterUsername: 'b', limit: 10 }))).toEqual(['bob', 'dave']);
        });

        it('compares the query as plain text, never as a pattern', async () => {
          await directory();
          for (const query of ['(', ')', '$', '^', '^a', '[', '[a-z]', '\\', '*', '+', '?', '|', '{', 'a.', 'al.*', '$where', '{"$gt":""}', '\u0000']) {
            expect(await stores.users.search({ prefix: query, limit: 10 }), query).toEqual([]);
          }
          for (const query of ['.', '.*', '.*star (', '.*STAR (THE) $1 [', '.*star (the) $1 [x]']) {
            expect(usernames(await stores.users.search({ prefix: query, limit: 10 })), query).toEqual(['star']);
          }
        });

        it('does not interpret an operator object smuggled into the query', async () => {
          await directory();
          const found = await outcome(() => stores.users.search({ prefix: smuggled({ $gt: '' }), limit: 10 }));
          expect(found.refused || found.value.length === 0).toBe(true);
        });
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

      it('stores the longest body and author name the text rules allow, written in astral characters', async () => {
        // The limits count code points; each of these emoji is two UTF-16 units.
        const body = '👋'.repeat(LIMITS.bodyMaxLength);
        const name = '😀'.repeat(LIMITS.displayNameMaxLength);
        const { message } = await stores.messages.append(newMessage({ body, author: { id: 'a'.repeat(24), name } }));
        const [stored] = (await stores.messages.since('lobby', { afterSeq: 0, limit: 10 })).messages;
        expect([message.body, stored?.body, stored?.author.name]).toEqual([body, body, name]);
        const user = await stores.users.create(newUser('astral', name));
        expect(user === 'username_taken' ? user : user.displayName).toBe(name);
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

      it('gives a room\'s newest entry, and caps a seq at it; an empty, unknown or smuggled room has none', async () => {
        expect(await stores.messages.newest('lobby')).toBeNull();
        expect(await stores.messages.upToNewest('lobby', 3)).toBe(0);
        await fill('lobby', 3);
        await fill('other', 5);
        expect(await stores.messages.newest('lobby')).toEqual((await stores.messages.history('lobby', { limit: 1 })).messages[0]);
        expect(await Promise.all([0, 1, 3, 4, 99].map((seq) => stores.messages.upToNewest('lobby', seq)))).toEqual([0, 1, 3, 3, 3]);
        const newest = await outcome(() => stores.messages.newest(smuggled({ $ne: null })));
        expect(newest.refused || newest.value === null).toBe(true);
        const capped = await outcome(() => stores.messages.upToNewest(smuggled({ $ne: null }), 4));
        expect(capped.refused || capped.value === 0).toBe(true);
      });

      it('a recall entry is stored with what it recalls, an empty body and a seq of its own', async () => {
        const target = await stores.messages.append(newMessage({ clientId: 'target' }));
        const recall = { messageId: target.message.id, seq: target.message.seq };
        const entry = await stores.messages.append(newMessage({ clientId: `recall:${target.message.id}`, body: '', recall }));
        expect(entry).toMatchObject({ isNew: true, message: { seq: 2, body: '', recall } });
        expect(await stores.messages.findById(entry.message.id)).toEqual(entry.message);
        expect((await stores.messages.since('lobby', { afterSeq: 0, limit: 10 })).messages).toEqual([target.message, entry.message]);
        expect((await stores.messages.append(newMessage({ clientId: `recall:${target.message.id}`, body: '', recall }))).isNew).toBe(false);
        expect(target.message.recall).toBeUndefined();
      });

      it('finds a message by id; unknown, malformed or smuggled ids find nothing', async () => {
        const { message } = await stores.messages.append(newMessage());
        expect(await stores.messages.findById(message.id)).toEqual(message);
        expect(await stores.messages.findById('0'.repeat(24))).toBeNull();
        expect(await stores.messages.findById('not an id')).toBeNull();
        const smuggledId = await outcome(() => stores.messages.findById(smuggled({ $ne: null })));
        expect(smuggledId.refused || smuggledId.value === null).toBe(true);
      });

      it('erasing empties the body for good and keeps the first recall time; unknown ids change nothing', async () => {
        const kept = await stores.messages.append(newMessage({ clientId: 'kept', body: 'stays' }));
        const { message } = await stores.messages.append(newMessage({ clientId: 'erased', body: 'secret' }));
        await stores.messages.erase(message.id, later(1));
        const erased = { ...message, body: '', recalledAt: later(1).toISOString() };
        expect(await stores.messages.findById(message.id)).toEqual(erased);
        await stores.messages.erase(message.id, later(2));
        await stores.messages.erase('0'.repeat(24), later(3));
        await outcome(() => stores.messages.erase(smuggled({ $ne: null }), later(4)));
        expect((await stores.messages.since('lobby', { afterSeq: 0, limit: 10 })).messages).toEqual([kept.message, erased]);
        expect((await stores.messages.history('lobby', { limit: 10 })).messages).toEqual([kept.message, erased]);
      });

      it('counts unread messages: after the seq, not the reader\'s own, not recalled, not recall entries, in that room only', async () => {
        const alice = { id: 'a'.repeat(24), name: 'Alice' };
        const bob = { id: 'b'.repeat(24), name: 'Bob' };
        for (const [i, author] of [alice, bob, bob, alice, bob].entries()) {
          await stores.messages.append(newMessage({ roomId: 'dm', clientId: `m${i}-${author.name}`, author }));
        }
        await fill('other', 4);
        expect(await stores.messages.countUnread('dm', { afterSeq: 0, excludeAuthorId: alice.id })).toBe(3);
        expect(await stores.messages.countUnread('dm', { afterSeq: 2, excludeAuthorId: alice.id })).toBe(2);
        expect(await stores.messages.countUnread('dm', { afterSeq: 3, excludeAuthorId: alice.id })).toBe(1);
        expect(await stores.messages.countUnread('dm', { afterSeq: 5, excludeAuthorId: alice.id })).toBe(0);
        expect(await stores.messages.countUnread('dm', { afterSeq: 9, excludeAuthorId: alice.id })).toBe(0);
        expect(await stores.messages.countUnread('dm', { afterSeq: 0, excludeAuthorId: bob.id })).toBe(2);
        expect(await stores.messages.countUnread('dm', { afterSeq: 0, excludeAuthorId: 'c'.repeat(24) })).toBe(5);
        expect(await stores.messages.countUnread('empty', { afterSeq: 0, excludeAuthorId: bob.id })).toBe(0);

        // Bob recalls his seq 3: the message no longer counts, and neither does the entry (seq 6).
        const [, , third] = (await stores.messages.since('dm', { afterSeq: 0, limit: 10 })).messages;
        await stores.messages.erase(third!.id, later(1));
        await stores.messages.append(newMessage({ roomId: 'dm', clientId: `recall:${third!.id}`, author: bob, body: '', recall: { messageId: third!.id, seq: 3 } }));
        expect(await stores.messages.countUnread('dm', { afterSeq: 0, excludeAuthorId: alice.id })).toBe(2);
        expect(await stores.messages.countUnread('dm', { afterSeq: 3, excludeAuthorId: alice.id })).toBe(1);
        expect(await stores.messages.countUnread('dm', { afterSeq: 5, excludeAuthorId: alice.id })).toBe(0);
      });
      it('an erased message whose recall entry was never stored (the store failed in between) does not count as unread, in rooms that count authors or not', async () => {
        const alice = { id: 'a'.repeat(24), name: 'Alice' };
        const bob = { id: 'b'.repeat(24), name: 'Bob' };
        for (const countAuthors of [true, false]) {
          const roomId = countAuthors ? 'counted' : 'plain';
          const sent: StoredMessage[] = [];
          for (const [i, author] of [bob, bob, alice, bob].entries()) {
            sent.push((await stores.messages.append(newMessage({ roomId, clientId: `${roomId}-${i}`, author, ...(countAuthors ? { countAuthors } : {}) }))).message);
          }
          const unread = (afterSeq: number, throughSeq?: number, reader = alice) =>
            stores.messages.countUnread(roomId, { afterSeq, excludeAuthorId: reader.id, ...(throughSeq ? { throughSeq } : {}) });
          await stores.messages.erase(sent[0]!.id, later(1));
          // History shows it recalled, and the count agrees.
          expect((await stores.messages.history(roomId, { limit: 10 })).messages[0]!.recalledAt).toBeDefined();
          expect([await unread(0), await unread(0, 2), await unread(1), await unread(0, undefined, bob)], roomId).toEqual([2, 1, 2, 1]);
          // A retried recall stores the entry: from then on the entry decides, as for every recall.
          await stores.messages.append(newMessage({ roomId, clientId: `recall:${sent[0]!.id}`, author: bob, body: '', recall: { messageId: sent[0]!.id, seq: 1 } }));
          expect([await unread(0), await unread(0, 5), await unread(1)], roomId).toEqual([2, 2, 2]);
          // Through seq 4 the entry (seq 5) is not there yet: as the live clients saw it then.
          expect(await unread(0, 4), roomId).toBe(3);
        }
      });

      describe('unread counts in rooms that count authors', () => {
        const alice = { id: 'a'.repeat(24), name: 'Alice' };
        const bob = { id: 'b'.repeat(24), name: 'Bob' };
        const counted = (author: typeof alice, clientId: string, overrides: Partial<NewMessage> = {}) =>
          newMessage({ roomId: 'counted', clientId, author, countAuthors: true, ...overrides });
        async function recall(author: typeof alice, target: { id: string; seq: number }) {
          await stores.messages.erase(target.id, later(1));
          // As the message service writes it: the entry itself does not ask to count; the room already does.
          return stores.messages.append(newMessage({ roomId: 'counted', clientId: `recall:${target.id}`, author, body: '', recall: { messageId: target.id, seq: target.seq } }));
        }
        /** The definition, by walking the stream: others' messages in (after, through] not recalled by an entry up to `through`. */
        function walked(stream: StoredMessage[], readerId: string, after: number, through: number): number {
          const upTo = stream.filter((m) => m.seq <= through);
          const recalled = new Set(upTo.filter((m) => m.recall).map((m) => m.recall!.messageId));
          return upTo.filter((m) => m.seq > after && !m.recall && m.author.id !== readerId && !recalled.has(m.id)).length;
        }
        /** countUnread from every mark to every later seq, for both readers, against the walk. */
        async function expectEveryRangeCounted() {
          const stream = (await stores.messages.since('counted', { afterSeq: 0, limit: 1000 })).messages;
          const newest = stream.length;
          for (const reader of [alice, bob]) {
            const ranges = Array.from({ length: newest }, (_, i) => Array.from({ length: i + 2 }, (_, after) => ({ after, through: i + 1 }))).flat();
            const counts = await Promise.all(
              ranges.map(({ after, through }) => stores.messages.countUnread('counted', { afterSeq: after, excludeAuthorId: reader.id, throughSeq: through })),
            );
            expect(counts).toEqual(ranges.map(({ after, through }) => walked(stream, reader.id, after, through)));
            expect(await stores.messages.countUnread('counted', { afterSeq: 0, excludeAuthorId: reader.id })).toBe(walked(stream, reader.id, 0, newest));
          }
        }

        it('counts from any mark through any seq; a recall counts from its entry on', async () => {
          const sent = [];
          for (const [i, author] of [alice, bob, bob, alice, bob, bob].entries()) sent.push((await stores.messages.append(counted(author, `m${i}`))).message);
          await recall(bob, sent[2]!);
          await stores.messages.append(counted(alice, 'after-recall'));
          await recall(alice, sent[3]!);
          await expectEveryRangeCounted();
          // Through seq 6 the recall of seq 3 (entry 7) has not happened: Alice still has it unread.
          expect(await stores.messages.countUnread('counted', { afterSeq: 0, excludeAuthorId: alice.id, throughSeq: 6 })).toBe(4);
          expect(await stores.messages.countUnread('counted', { afterSeq: 0, excludeAuthorId: alice.id })).toBe(3);
        });

        it('stays exact past many recalls between the mark and the newest entry', async () => {
          const sent = [];
          for (let i = 0; i < 14; i += 1) sent.push((await stores.messages.append(counted(i % 4 === 0 ? alice : bob, `m${i}`))).message);
          for (const message of sent.filter((m) => m.author.id === bob.id).slice(0, 10)) await recall(bob, message);
          await stores.messages.append(counted(bob, 'last'));
          await expectEveryRangeCounted();
        });

        it('40 concurrent sends by both authors leave counts that agree with the stream', async () => {
          await Promise.all(Array.from({ length: 40 }, (_, i) => stores.messages.append(counted(i % 3 ? bob : alice, `race-${i}`))));
          const page = await stores.messages.since('counted', { afterSeq: 0, limit: 100 });
          expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
          await expectEveryRangeCounted();
        });
      });
    });

    describe('conversations', () => {
      const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((c) => c.repeat(24)) as [string, string, string, string];
      const room = (x: string, y: string) => ({ roomId: dmRoomId(x, y), memberIds: [x, y].sort() as [string, string] });
      const touch = (x: string, y: string, when: Date) => stores.conversations.touch(room(x, y).roomId, room(x, y).memberIds, when);
      const roomIds = (records: { roomId: string }[]) => records.map((r) => r.roomId);

      it('touching a new room records it with its members; unknown rooms are not found', async () => {
        await touch(B, A, later(1));
        expect(await stores.conversations.find(dmRoomId(A, B))).toEqual({ ...room(A, B), lastActivityAt: later(1) });
        expect(await stores.conversations.find(dmRoomId(A, C))).toBeNull();
        await touch(A, A, later(2));
        expect(await stores.conversations.find(dmRoomId(A, A))).toEqual({ roomId: dmRoomId(A, A), memberIds: [A, A], lastActivityAt: later(2) });
      });

      it('touching moves the last activity forward, never back, and keeps the members', async () => {
        await touch(A, B, later(10));
        await touch(A, B, later(5));
        expect((await stores.conversations.find(dmRoomId(A, B)))?.lastActivityAt).toEqual(later(10));
        await touch(A, B, later(10));
        await touch(A, B, later(20));
        expect(await stores.conversations.find(dmRoomId(A, B))).toEqual({ ...room(A, B), lastActivityAt: later(20) });
      });

      it('20 concurrent touches of a new room leave one record at the latest time, and later races never move it back', async () => {
        await Promise.all(scrambled(Array.from({ length: 20 }, (_, i) => touch(A, B, later(i + 1)))));
        expect(await stores.conversations.find(dmRoomId(A, B))).toEqual({ ...room(A, B), lastActivityAt: later(20) });
        expect(roomIds(await stores.conversations.listForUser(A, { limit: 10 }))).toEqual([dmRoomId(A, B)]);
        await Promise.all(scrambled(Array.from({ length: 20 }, (_, i) => touch(A, B, later(i * 2)))));
        expect((await stores.conversations.find(dmRoomId(A, B)))?.lastActivityAt).toEqual(later(38));
        await touch(A, B, later(1));
        expect((await stores.conversations.find(dmRoomId(A, B)))?.lastActivityAt).toEqual(later(38));
        expect(await stores.conversations.listForUser(B, { limit: 10 })).toEqual([{ ...room(A, B), lastActivityAt: later(38) }]);
      });

      it('lists only the user\'s rooms, newest first, greater room id first on a tie, notes-to-self once', async () => {
        await touch(A, C, later(1));
        await touch(A, D, later(2));
        await touch(A, B, later(3));
        await touch(A, A, later(3));
        await touch(B, C, later(5));
        const all = await stores.conversations.listForUser(A, { limit: 10 });
        expect(roomIds(all)).toEqual([dmRoomId(A, B), dmRoomId(A, A), dmRoomId(A, D), dmRoomId(A, C)]);
        expect(all[1]).toEqual({ roomId: dmRoomId(A, A), memberIds: [A, A], lastActivityAt: later(3) });
        expect(roomIds(await stores.conversations.listForUser(B, { limit: 10 }))).toEqual([dmRoomId(B, C), dmRoomId(A, B)]);
        expect(await stores.conversations.listForUser('e'.repeat(24), { limit: 10 })).toEqual([]);
      });

      it('pages strictly after the `before` position, with no gap or overlap', async () => {
        await touch(A, C, later(1));
        await touch(A, D, later(2));
        await touch(A, B, later(3));
        await touch(A, A, later(3));
        const first = await stores.conversations.listForUser(A, { limit: 2 });
        expect(roomIds(first)).toEqual([dmRoomId(A, B), dmRoomId(A, A)]);
        const last = first[1]!;
        const second = await stores.conversations.listForUser(A, { before: { at: last.lastActivityAt, roomId: last.roomId }, limit: 2 });
        expect(roomIds(second)).toEqual([dmRoomId(A, D), dmRoomId(A, C)]);
        expect(roomIds(await stores.conversations.listForUser(A, { before: { at: later(3), roomId: dmRoomId(A, B) }, limit: 10 }))).toEqual([
          dmRoomId(A, A),
          dmRoomId(A, D),
          dmRoomId(A, C),
        ]);
        expect(await stores.conversations.listForUser(A, { before: { at: later(1), roomId: dmRoomId(A, C) }, limit: 10 })).toEqual([]);
      });

      it('a read mark starts at 0 and moves forward only, per user and room', async () => {
        const ab = dmRoomId(A, B);
        expect(await stores.conversations.readSeq(ab, A)).toBe(0);
        expect(await stores.conversations.markRead(ab, A, 3)).toEqual({ seq: 3, moved: true });
        expect(await stores.conversations.markRead(ab, A, 2)).toEqual({ seq: 3, moved: false });
        expect(await stores.conversations.markRead(ab, A, 3)).toEqual({ seq: 3, moved: false });
        expect(await stores.conversations.markRead(ab, A, 5)).toEqual({ seq: 5, moved: true });
        expect(await stores.conversations.readSeq(ab, A)).toBe(5);
        expect(await stores.conversations.readSeq(ab, B)).toBe(0);
        expect(await stores.conversations.readSeq(dmRoomId(A, C), A)).toBe(0);
        expect(await stores.conversations.markRead(ab, B, 1)).toEqual({ seq: 1, moved: true });
        expect(await stores.conversations.readSeq(ab, A)).toBe(5);
      });

      it('30 racing read marks end at the highest, reported moved by its caller, and never go back', async () => {
        const ab = dmRoomId(A, B);
        const seqs = scrambled(Array.from({ length: 30 }, (_, i) => i + 1));
        const results = await Promise.all(seqs.map((seq) => stores.conversations.markRead(ab, A, seq)));
        for (const [i, result] of results.entries()) expect(result.seq).toBeGreaterThanOrEqual(seqs[i]!);
        // Whoever stored the final mark says so, so it is always broadcast.
        expect(results[seqs.indexOf(30)]).toEqual({ seq: 30, moved: true });
        expect(await stores.conversations.readSeq(ab, A)).toBe(30);
        expect(await stores.conversations.markRead(ab, A, 10)).toEqual({ seq: 30, moved: false });
        expect(await stores.conversations.readSeq(ab, A)).toBe(30);
        expect(await stores.conversations.readSeq(ab, B)).toBe(0);
      });

      it('racing calls with one read mark: exactly one reports moving it', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => stores.conversations.markRead(dmRoomId(A, B), B, 7)));
        expect(results.every((r) => r.seq === 7)).toBe(true);
        expect(results.filter((r) => r.moved)).toHaveLength(1);
      });

      it('does not interpret operator objects smuggled into ids', async () => {
        await touch(A, B, later(1));
        await stores.conversations.markRead(dmRoomId(A, B), A, 4);
        for (const call of [
          () => stores.conversations.find(smuggled({ $ne: null })),
          () => stores.conversations.readSeq(smuggled({ $ne: null }), A),
          () => stores.conversations.readSeq(dmRoomId(A, B), smuggled({ $ne: null })),
          () => stores.conversations.listForUser(smuggled({ $ne: null }), { limit: 10 }),
          () => stores.messages.countUnread(smuggled({ $ne: null }), { afterSeq: 0, excludeAuthorId: B }),
        ]) {
          const result = await outcome<unknown>(call);
          expect(result.refused || result.value === null || result.value === 0 || (Array.isArray(result.value) && result.value.length === 0)).toBe(true);
        }
      });
    });

    describe('sessions', () => {
      it('finds an active session until it expires or is revoked', async () => {
        const expiresAt = new Date(at.getTime() + 60_000);
        await stores.sessions.create({ id: 's1', userId: 'u1', expiresAt, credential: 'c1' });
        await stores.sessions.create({ id: 's2', userId: 'u1', expiresAt, credential: 'c1' });
        expect(await stores.sessions.findActive('s1', at)).toEqual({ id: 's1', userId: 'u1', expiresAt, credential: 'c1' });
        expect(await stores.sessions.findActive('s1', new Date(expiresAt.getTime() + 1))).toBeNull();
        await stores.sessions.revoke('s2');
        expect(await stores.sessions.findActive('s2', at)).toBeNull();
        expect(await stores.sessions.findActive('nope', at)).toBeNull();
      });

      it('a session ends exactly at expiresAt', async () => {
        const expiresAt = new Date(at.getTime() + 60_000);
        await stores.sessions.create({ id: 's1', userId: 'u1', expiresAt, credential: 'c1' });
        expect(await stores.sessions.findActive('s1', new Date(expiresAt.getTime() - 1))).not.toBeNull();
        expect(await stores.sessions.findActive('s1', expiresAt)).toBeNull();
      });

      it('revoking one session leaves the others, and revoking an unknown or smuggled id changes nothing', async () => {
        const expiresAt = new Date(at.getTime() + 60_000);
        await stores.sessions.create({ id: 's1', userId: 'u1', expiresAt, credential: 'c1' });
        await stores.sessions.create({ id: 's2', userId: 'u1', expiresAt, credential: 'c1' });
        await stores.sessions.revoke('s1');
        await stores.sessions.revoke('unknown');
        await outcome(() => stores.sessions.revoke(smuggled({ $ne: null })));
        const found = await outcome(() => stores.sessions.findActive(smuggled({ $ne: null }), at));
        expect(found.refused || found.value === null).toBe(true);
        expect(await stores.sessions.findActive('s1', at)).toBeNull();
        expect(await stores.sessions.findActive('s2', at)).toEqual({ id: 's2', userId: 'u1', expiresAt, credential: 'c1' });
      });

      it('revoking all of a user\'s sessions leaves other users\' sessions; a smuggled user id changes nothing', async () => {
        const expiresAt = new Date(at.getTime() + 60_000);
        for (const [id, userId] of [['s1', 'u1'], ['s2', 'u1'], ['s3', 'u2']] as const) await stores.sessions.create({ id, userId, expiresAt, credential: 'c' });
        const smuggledCall = await outcome(() => stores.sessions.revokeAllForUser(smuggled({ $ne: null })));
        expect(smuggledCall.refused || smuggledCall.value === 0).toBe(true);
        expect(await stores.sessions.revokeAllForUser('u1')).toBe(2);
        expect(await stores.sessions.revokeAllForUser('u1')).toBe(0);
        expect(await stores.sessions.findActive('s1', at)).toBeNull();
        expect(await stores.sessions.findActive('s2', at)).toBeNull();
        expect(await stores.sessions.findActive('s3', at)).toEqual({ id: 's3', userId: 'u2', expiresAt, credential: 'c' });
      });
    });

    describeRichMessagesContract(() => stores);
    describeModerationContract(() => stores);

    it('reports itself ready', async () => {
      expect(await stores.isReady()).toBe(true);
    });
  });
}
