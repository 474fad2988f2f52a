import type { AttachmentDto, AuthorDto } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import type { NewMessage, StoredChange, StoredMessage, Stores } from '../../src/store/ports.js';

/**
 * The store contract for rich messages (edits, replies, mentions, reactions, delivery marks), run
 * inside describeStoreContract so every implementation gets it: `stores()` is the current test's.
 */
export function describeRichMessagesContract(stores: () => Stores) {
  const at = new Date('2026-03-01T12:00:00.000Z');
  const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
  const alice: AuthorDto = { id: 'a'.repeat(24), name: 'Alice' };
  const bob: AuthorDto = { id: 'b'.repeat(24), name: 'Bob' };
  const carol: AuthorDto = { id: 'c'.repeat(24), name: 'Carol' };
  const mention = (user: AuthorDto) => ({ id: user.id, username: user.name.toLowerCase() });
  let clientIds = 0;
  const newMessage = (overrides: Partial<NewMessage> = {}): NewMessage => ({
    roomId: 'lobby',
    clientId: `rich-${(clientIds += 1)}`,
    author: alice,
    body: 'hello',
    createdAt: at,
    ...overrides,
  });
  const send = async (overrides: Partial<NewMessage> = {}) => (await stores().messages.append(newMessage(overrides))).message;
  /** A change entry as the message service writes it: its own clientId, an empty body, no `countAuthors` (the room decides). */
  const recordChange = (target: StoredMessage, actor: AuthorDto, change: Omit<StoredChange, 'messageId' | 'seq'>) =>
    send({ roomId: target.roomId, clientId: `${change.type}:${(clientIds += 1)}`, author: actor, body: '', change: { ...change, messageId: target.id, seq: target.seq } });
  /** A recall as the message service does it: the erase, then the entry. */
  async function recall(target: StoredMessage) {
    await stores().messages.erase(target.id, later(60));
    return send({ roomId: target.roomId, clientId: `recall:${target.id}`, author: target.author, body: '', recall: { messageId: target.id, seq: target.seq } });
  }
  const whole = async (roomId: string) => (await stores().messages.since(roomId, { afterSeq: 0, limit: 1_000 })).messages;
  const pdf: AttachmentDto = { id: '1'.repeat(24), name: 'Ünïcode plan 📎.pdf', contentType: 'application/pdf', size: 123_456, kind: 'file' };
  const photo: AttachmentDto = { id: '2'.repeat(24), name: 'IMG_0001.jpg', contentType: 'image/jpeg', size: 0, kind: 'image', width: 4032, height: 3024, thumbnail: { width: 320, height: 240 } };

  describe('rich messages', () => {
    it('stores a reply, its mentions and change entries as given, and reads them back the same way everywhere', async () => {
      const original = await send({ body: 'first' });
      const reply = await send({ author: bob, body: '@alice @carol yes', replyTo: { messageId: original.id, seq: original.seq }, mentions: [mention(alice), mention(carol)] });
      expect(reply).toMatchObject({ seq: 2, replyTo: { messageId: original.id, seq: 1 }, mentions: [mention(alice), mention(carol)] });
      const edit = await recordChange(original, alice, { type: 'edit' });
      const reaction = await recordChange(original, bob, { type: 'reaction', emoji: '👍🏽', added: true });
      const unreaction = await recordChange(original, bob, { type: 'reaction', emoji: '👍🏽', added: false });
      expect(edit).toMatchObject({ seq: 3, body: '', author: alice, change: { type: 'edit', messageId: original.id, seq: 1 } });
      expect(edit.change).toEqual({ type: 'edit', messageId: original.id, seq: 1 });
      expect(reaction.change).toEqual({ type: 'reaction', messageId: original.id, seq: 1, emoji: '👍🏽', added: true });
      expect(unreaction.change).toEqual({ type: 'reaction', messageId: original.id, seq: 1, emoji: '👍🏽', added: false });
      // No mentions, no reply: the fields are absent, not empty.
      const plain = await send({ mentions: [] });
      for (const field of ['mentions', 'replyTo', 'change', 'editedAt'] as const) expect(plain, field).not.toHaveProperty(field);
      const stored = [original, reply, edit, reaction, unreaction, plain];
      expect(await whole('lobby')).toEqual(stored);
      expect((await stores().messages.history('lobby', { limit: 10 })).messages).toEqual(stored);
      expect(await stores().messages.findById(reply.id)).toEqual(reply);
      expect(await stores().messages.findById(reaction.id)).toEqual(reaction);
      // A repeat of a change entry's clientId is the original.
      const repeated = await stores().messages.append(newMessage({ clientId: unreaction.clientId, author: bob, body: '', change: { type: 'edit', messageId: plain.id, seq: 6 } }));
      expect(repeated).toEqual({ message: unreaction, isNew: false });
    });

    it('finds the entries with the given ids that exist, once each; unknown, malformed and smuggled ids find nothing', async () => {
      const [one, two, three] = [await send(), await send({ roomId: 'other' }), await send({ author: bob })];
      const byId = (found: StoredMessage[]) => [...found].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byId(await stores().messages.findByIds([three!.id, one!.id, 'f'.repeat(24), 'not an id', one!.id, two!.id]))).toEqual(byId([one!, two!, three!]));
      expect(await stores().messages.findByIds([])).toEqual([]);
      expect(await stores().messages.findByIds(['0'.repeat(24)])).toEqual([]);
      let smuggled: StoredMessage[] = [];
      try {
        smuggled = await stores().messages.findByIds([{ $ne: null } as unknown as string]);
      } catch {
        // Refusing is as good as finding nothing.
      }
      expect(smuggled).toEqual([]);
    });

    it('the newest shown entry skips change entries, but not recalls or room events', async () => {
      expect(await stores().messages.newestShown('lobby')).toBeNull();
      const message = await send();
      expect(await stores().messages.newestShown('lobby')).toEqual(message);
      await recordChange(message, bob, { type: 'reaction', emoji: '🎉', added: true });
      await recordChange(message, alice, { type: 'edit' });
      expect(await stores().messages.newestShown('lobby')).toEqual(message);
      expect((await stores().messages.newest('lobby'))?.change).toMatchObject({ type: 'edit' });
      const event = await send({ author: bob, body: '', event: { type: 'joined', user: bob } });
      await recordChange(message, bob, { type: 'reaction', emoji: '🎉', added: false });
      expect(await stores().messages.newestShown('lobby')).toEqual(event);
      const entry = await recall(message);
      await recordChange(event, carol, { type: 'reaction', emoji: '🎉', added: true });
      expect(await stores().messages.newestShown('lobby')).toEqual(entry);
      // A room of change entries alone (their target elsewhere) shows nothing.
      await recordChange({ ...message, roomId: 'only-changes' }, bob, { type: 'reaction', emoji: '🎉', added: true });
      expect(await stores().messages.newestShown('only-changes')).toBeNull();
      expect(await stores().messages.newestShown('empty')).toBeNull();
    });

    describe('attachments', () => {
      it('are stored in the order given and read back the same way everywhere; none is no field', async () => {
        const withFiles = await send({ body: 'see attached', attachments: [photo, pdf] });
        const onlyFiles = await send({ roomId: 'files', body: '', attachments: [pdf], countAuthors: true });
        expect(withFiles.attachments).toEqual([photo, pdf]);
        expect(onlyFiles).toMatchObject({ body: '', attachments: [pdf] });
        const plain = await send({ attachments: [] });
        expect(plain).not.toHaveProperty('attachments');
        expect(await whole('lobby')).toEqual([withFiles, plain]);
        expect((await stores().messages.history('files', { limit: 5 })).messages).toEqual([onlyFiles]);
        expect(await stores().messages.findById(withFiles.id)).toEqual(withFiles);
        expect(await stores().messages.findByIds([withFiles.id, onlyFiles.id])).toEqual(expect.arrayContaining([withFiles, onlyFiles]));
        expect(await stores().messages.findByClientId(alice.id, withFiles.clientId)).toEqual(withFiles);
        expect(await stores().messages.newestShown('files')).toEqual(onlyFiles);
        // A repeat returns the original with its files, whatever it carries.
        expect(await stores().messages.append(newMessage({ clientId: withFiles.clientId, attachments: [pdf] }))).toEqual({ message: withFiles, isNew: false });
      });

      it('an edit keeps them; erasing removes them with the body, for good', async () => {
        const original = await send({ body: '', attachments: [pdf, photo], mentions: [mention(bob)] });
        const edited = await stores().messages.edit(original.id, { body: 'now with a caption', mentions: [], editedAt: later(5) });
        expect(edited).toMatchObject({ body: 'now with a caption', attachments: [pdf, photo] });
        await recall(original);
        const recalled = await stores().messages.findById(original.id);
        expect(recalled).toMatchObject({ body: '', recalledAt: later(60).toISOString() });
        expect(recalled).not.toHaveProperty('attachments');
        expect(await stores().messages.edit(original.id, { body: 'back', mentions: [], editedAt: later(90) })).toEqual(recalled);
        await stores().messages.erase(original.id, later(120));
        expect(await stores().messages.findById(original.id)).toEqual(recalled);
        expect(JSON.stringify(await whole('lobby'))).not.toContain(pdf.id);
      });
    });

    describe('edits', () => {
      it('replace the text, the mentions and the edit time; no mentions removes the field; the rest stays', async () => {
        const original = await send({ body: 'hi @bob', mentions: [mention(bob)], replyTo: { messageId: 'f'.repeat(24), seq: 9 } });
        const edited = await stores().messages.edit(original.id, { body: 'hi @carol', mentions: [mention(carol)], editedAt: later(5) });
        const expected = { ...original, body: 'hi @carol', mentions: [mention(carol)], editedAt: later(5).toISOString() };
        expect(edited).toEqual(expected);
        expect(await stores().messages.findById(original.id)).toEqual(expected);
        const again = await stores().messages.edit(original.id, { body: 'hi all', mentions: [], editedAt: later(6) });
        const { mentions: _gone, ...withoutMentions } = expected;
        expect(again).toEqual({ ...withoutMentions, body: 'hi all', editedAt: later(6).toISOString() });
        expect(await whole('lobby')).toEqual([again]);
      });

      it('of a recalled message changes nothing and returns it recalled', async () => {
        const original = await send({ body: 'secret', mentions: [mention(bob)] });
        await recall(original);
        const recalled = await stores().messages.findById(original.id);
        expect(recalled).toMatchObject({ body: '', recalledAt: later(60).toISOString() });
        expect(recalled).not.toHaveProperty('mentions');
        expect(await stores().messages.edit(original.id, { body: 'back from the dead', mentions: [mention(carol)], editedAt: later(90) })).toEqual(recalled);
        expect(await stores().messages.findById(original.id)).toEqual(recalled);
      });

      it('of an unknown, malformed or smuggled id returns null and changes nothing', async () => {
        const kept = await send();
        for (const id of ['0'.repeat(24), 'not an id', '', { $ne: null } as unknown as string]) {
          let result: StoredMessage | null = null;
          try {
            result = await stores().messages.edit(id, { body: 'x', mentions: [], editedAt: later(1) });
          } catch {
            // Refusing is as good as null.
          }
          expect(result, String(id)).toBeNull();
        }
        expect(await whole('lobby')).toEqual([kept]);
      });

      it('racing a recall: the recall always wins, and the body ends empty, without mentions or files', async () => {
        for (let round = 0; round < 12; round += 1) {
          const original = await send({ body: `secret ${round}`, mentions: [mention(bob)], attachments: [pdf] });
          const edits = [1, 2].map((i) => () => stores().messages.edit(original.id, { body: `edit ${round}.${i} @carol`, mentions: [mention(carol)], editedAt: later(i) }));
          const erase = () => stores().messages.erase(original.id, later(60));
          // The erase first, between the edits and last, so either may reach the database first.
          const order = [[erase, ...edits], [edits[0]!, erase, edits[1]!], [...edits, erase]][round % 3]!;
          const results = await Promise.all(order.map((call) => call()));
          const stored = await stores().messages.findById(original.id);
          expect(stored, `round ${round}`).toMatchObject({ body: '', recalledAt: expect.any(String) });
          expect(stored, `round ${round}`).not.toHaveProperty('mentions');
          expect(stored, `round ${round}`).not.toHaveProperty('attachments');
          // An edit that says it found the message recalled left it empty too.
          for (const result of results) if (result && result.recalledAt) expect(result.body).toBe('');
          expect(await stores().messages.countMentions('lobby', { userId: carol.id, afterSeq: 0, throughSeq: 1_000 })).toBe(0);
        }
      });
    });

    describe('mentions', () => {
      const count = (userId: string, afterSeq: number, throughSeq: number, roomId = 'room') => stores().messages.countMentions(roomId, { userId, afterSeq, throughSeq });

      it('count the messages in the range that mention the user now: not their own, not recalled, not change, recall or event entries', async () => {
        const m1 = await send({ roomId: 'room', body: '@carol', mentions: [mention(carol)] }); // 1
        await send({ roomId: 'room', author: carol, body: '@carol me', mentions: [mention(carol)] }); // 2: her own
        const m3 = await send({ roomId: 'room', author: bob, body: '@bob', mentions: [mention(bob)] }); // 3
        await send({ roomId: 'room', author: bob, body: '@alice @carol', mentions: [mention(alice), mention(carol)] }); // 4
        await send({ roomId: 'elsewhere', body: '@carol', mentions: [mention(carol)] });
        // Entries that are not messages never count, whatever they carry.
        await send({ roomId: 'room', author: bob, body: '', change: { type: 'edit', messageId: m3.id, seq: 3 }, mentions: [mention(carol)] }); // 5
        await send({ roomId: 'room', author: bob, body: '', event: { type: 'joined', user: bob }, mentions: [mention(carol)] }); // 6
        expect([await count(carol.id, 0, 6), await count(carol.id, 1, 6), await count(carol.id, 0, 3), await count(carol.id, 4, 6), await count(carol.id, 0, 0)]).toEqual([2, 1, 1, 0, 0]);
        expect([await count(alice.id, 0, 6), await count(bob.id, 0, 6)]).toEqual([1, 0]);
        expect(await count(carol.id, 0, 6, 'elsewhere')).toBe(1);
        expect(await count(carol.id, 0, 6, 'empty')).toBe(0);

        // An edit that adds Carol counts; one that takes her out no longer does.
        await stores().messages.edit(m3.id, { body: '@bob @carol', mentions: [mention(bob), mention(carol)], editedAt: later(1) });
        await stores().messages.edit(m1.id, { body: 'nobody', mentions: [], editedAt: later(1) });
        expect([await count(carol.id, 0, 6), await count(carol.id, 0, 3), await count(bob.id, 0, 6)]).toEqual([2, 1, 0]);
        await stores().messages.edit(m1.id, { body: '@carol again', mentions: [mention(carol)], editedAt: later(2) });
        expect(await count(carol.id, 0, 6)).toBe(3);

        // A recalled message counts for no one, from the moment it is erased.
        await recall(m3);
        expect([await count(carol.id, 0, 7), await count(carol.id, 0, 3)]).toEqual([2, 1]);
        await stores().messages.erase(m1.id, later(3));
        expect(await count(carol.id, 0, 7)).toBe(1);
        expect(await count(alice.id, 0, 7)).toBe(1);
      });
    });

    it('the unread window is counted among entries that are not change entries, and never reaches back past the first', async () => {
      const windowStart = (throughSeq: number, count: number) => stores().messages.shownWindowStart('win', { throughSeq, count });
      expect(await windowStart(10, 3)).toBe(0);
      const first = await send({ roomId: 'win' }); // 1
      await send({ roomId: 'win', author: bob }); // 2
      for (let i = 0; i < 4; i += 1) await recordChange(first, bob, { type: 'reaction', emoji: '👍', added: i % 2 === 0 }); // 3-6
      await send({ roomId: 'win', author: bob }); // 7
      await recordChange(first, alice, { type: 'edit' }); // 8
      // Shown entries: 1, 2, 7. The 2 newest through 8 are 2 and 7, so the window starts after 1.
      expect(await windowStart(8, 2)).toBe(1);
      expect(await windowStart(8, 1)).toBe(2);
      expect(await windowStart(6, 1)).toBe(1);
      expect(await windowStart(8, 3)).toBe(0);
      expect(await windowStart(8, 50)).toBe(0);
    });

    describe('change entries and unread counts', () => {
      const reader = alice;
      /** The definition, by walking the stream: others' messages in (after, through], not change or recall entries, not recalled by an entry up to `through`. */
      function walked(stream: StoredMessage[], readerId: string, after: number, through: number): number {
        const upTo = stream.filter((m) => m.seq <= through);
        const recalled = new Set(upTo.filter((m) => m.recall).map((m) => m.recall!.messageId));
        return upTo.filter((m) => m.seq > after && !m.recall && !m.change && m.author.id !== readerId && !recalled.has(m.id)).length;
      }

      for (const countAuthors of [true, false]) {
        it(`never count as unread, in a room that ${countAuthors ? 'counts authors (DMs)' : 'does not count authors'}`, async () => {
          const roomId = countAuthors ? 'counted' : 'plain';
          const message = (author: AuthorDto) => send({ roomId, author, ...(countAuthors ? { countAuthors: true } : {}) });
          const sent: StoredMessage[] = [];
          for (const author of [bob, alice, bob]) sent.push(await message(author)); // 1-3
          await recordChange(sent[0]!, bob, { type: 'edit' }); // 4
          await recordChange(sent[1]!, bob, { type: 'reaction', emoji: '👍', added: true }); // 5
          await recordChange(sent[2]!, alice, { type: 'reaction', emoji: '👍', added: true }); // 6
          sent.push(await message(bob)); // 7
          await recordChange(sent[0]!, bob, { type: 'edit' }); // 8
          await recall(sent[2]!); // 9
          await recordChange(sent[1]!, bob, { type: 'reaction', emoji: '👍', added: false }); // 10
          const unread = (afterSeq: number, throughSeq?: number, readerId = reader.id) =>
            stores().messages.countUnread(roomId, { afterSeq, excludeAuthorId: readerId, ...(throughSeq === undefined ? {} : { throughSeq }) });
          // Bob's seqs 1, 3 and 7, less 3 once its recall entry (9) is in the range.
          expect([await unread(0), await unread(0, 8), await unread(3), await unread(3, 6), await unread(7), await unread(0, undefined, bob.id)]).toEqual([2, 3, 1, 0, 0, 1]);
          // Every mark through every seq, for both readers, against the walk.
          const stream = await whole(roomId);
          expect(stream.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
          for (const readerId of [alice.id, bob.id]) {
            const ranges = Array.from({ length: 10 }, (_, i) => Array.from({ length: i + 2 }, (_, after) => ({ after, through: i + 1 }))).flat();
            const counts = await Promise.all(ranges.map(({ after, through }) => unread(after, through, readerId)));
            expect(counts).toEqual(ranges.map(({ after, through }) => walked(stream, readerId, after, through)));
          }
        });
      }

      it('racing sends and change entries in a room that counts authors leave exact counts', async () => {
        const first = await send({ roomId: 'counted', author: bob, countAuthors: true });
        await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            i % 3 === 0
              ? recordChange(first, i % 2 ? alice : bob, { type: 'reaction', emoji: '👍', added: i % 2 === 0 })
              : send({ roomId: 'counted', author: i % 2 ? alice : bob, countAuthors: true }),
          ),
        );
        const stream = await whole('counted');
        expect(stream.map((m) => m.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        for (const after of [0, 5, 12, 24]) {
          for (const readerId of [alice.id, bob.id]) {
            expect(await stores().messages.countUnread('counted', { afterSeq: after, excludeAuthorId: readerId })).toBe(walked(stream, readerId, after, 25));
          }
        }
      });
    });
  });

  describe('reactions', () => {
    const target = 'd'.repeat(24);
    const other = 'e'.repeat(24);
    const react = (user: AuthorDto, emoji: string, seconds = 0, messageId = target) => stores().reactions.add({ messageId, roomId: 'lobby', user, emoji, at: later(seconds) });

    it('adding is idempotent per (message, emoji, user), and so is removing', async () => {
      expect(await react(alice, '👍')).toBe(true);
      expect(await react(alice, '👍', 1)).toBe(false);
      expect(await react(bob, '👍', 2)).toBe(true);
      expect(await react(alice, '🎉', 3)).toBe(true);
      expect(await stores().reactions.remove(target, alice.id, '👍')).toBe(true);
      expect(await stores().reactions.remove(target, alice.id, '👍')).toBe(false);
      expect(await stores().reactions.remove(target, carol.id, '👍')).toBe(false);
      expect(await stores().reactions.remove(other, bob.id, '👍')).toBe(false);
      expect(await stores().reactions.of([target])).toEqual(new Map([[target, [{ emoji: '👍', users: [bob] }, { emoji: '🎉', users: [alice] }]]]));
      // Taken back, then added again: it counts from the new time.
      expect(await react(alice, '👍', 4)).toBe(true);
      expect((await stores().reactions.of([target])).get(target)).toEqual([{ emoji: '👍', users: [bob, alice] }, { emoji: '🎉', users: [alice] }]);
    });

    it('lists each message\'s reactions: emoji in the order first used, users earliest first; messages without any are absent', async () => {
      await react(bob, '🎉', 5);
      await react(carol, '👍🏽', 3);
      await react(alice, '🎉', 4);
      await react(alice, '👍🏽', 6);
      await react(carol, '🇫🇷', 7);
      await react(bob, '❤️', 1, other);
      const found = await stores().reactions.of([target, other, 'f'.repeat(24), target]);
      expect([...found.keys()].sort()).toEqual([target, other]);
      expect(found.get(target)).toEqual([
        { emoji: '👍🏽', users: [carol, alice] },
        { emoji: '🎉', users: [alice, bob] },
        { emoji: '🇫🇷', users: [carol] },
      ]);
      expect(found.get(other)).toEqual([{ emoji: '❤️', users: [bob] }]);
      expect(await stores().reactions.of([])).toEqual(new Map());
      // When the earliest user of an emoji takes it back, the emoji moves to its next-earliest use.
      await stores().reactions.remove(target, carol.id, '👍🏽');
      expect((await stores().reactions.of([target])).get(target)!.map((r) => r.emoji)).toEqual(['🎉', '👍🏽', '🇫🇷']);
      // The users keep the names they reacted with.
      await react({ id: bob.id, name: 'Robert' }, '🇫🇷', 8);
      expect((await stores().reactions.of([target])).get(target)![2]).toEqual({ emoji: '🇫🇷', users: [carol, { id: bob.id, name: 'Robert' }] });
    });

    it('names the distinct emoji a message carries', async () => {
      expect(await stores().reactions.emojiOf(target)).toEqual([]);
      await react(alice, '👍');
      await react(bob, '👍');
      await react(bob, '🎉');
      await react(carol, '❤️', 0, other);
      expect((await stores().reactions.emojiOf(target)).sort()).toEqual(['👍', '🎉'].sort());
      await stores().reactions.remove(target, bob.id, '🎉');
      expect(await stores().reactions.emojiOf(target)).toEqual(['👍']);
    });

    it('two sockets adding the same reaction at once: exactly one adds it, and one record is kept', async () => {
      for (let round = 0; round < 8; round += 1) {
        const emoji = ['👍', '🎉', '❤️', '😀'][round % 4]!;
        const messageId = `${round}`.padStart(24, 'f');
        const added = await Promise.all([react(alice, emoji, round, messageId), react(alice, emoji, round, messageId), react(bob, emoji, round, messageId)]);
        expect(added.slice(0, 2).filter(Boolean), `round ${round}`).toHaveLength(1);
        expect(added[2], `round ${round}`).toBe(true);
        expect((await stores().reactions.of([messageId])).get(messageId)).toEqual([{ emoji, users: [alice, bob] }]);
        const removed = await Promise.all([0, 1, 2].map(() => stores().reactions.remove(messageId, alice.id, emoji)));
        expect(removed.filter(Boolean), `round ${round}`).toHaveLength(1);
        expect((await stores().reactions.of([messageId])).get(messageId)).toEqual([{ emoji, users: [bob] }]);
      }
    });
  });

  describe('read and delivery marks', () => {
    const [A, B, C] = [alice.id, bob.id, carol.id];
    /** The same calls in a fixed scrambled order, so "the last to finish wins" would show. */
    const scrambled = <T,>(items: T[]) => items.map((item, i) => ({ item, key: (i * 7919) % 101 })).sort((a, b) => a.key - b.key).map((x) => x.item);
    const byUser = (marks: { userId: string; seq: number }[]) => [...marks].sort((a, b) => (a.userId < b.userId ? -1 : 1));

    it('a delivery mark starts at 0, moves forward only, and is apart from the read mark', async () => {
      const conversations = stores().conversations;
      expect(await conversations.deliveredSeq('room', A)).toBe(0);
      expect(await conversations.markDelivered('room', A, 4)).toEqual({ seq: 4, moved: true });
      expect(await conversations.markDelivered('room', A, 2)).toEqual({ seq: 4, moved: false });
      expect(await conversations.markDelivered('room', A, 4)).toEqual({ seq: 4, moved: false });
      expect(await conversations.markDelivered('room', A, 0)).toEqual({ seq: 4, moved: false });
      expect(await conversations.markDelivered('room', A, 6)).toEqual({ seq: 6, moved: true });
      expect([await conversations.deliveredSeq('room', A), await conversations.deliveredSeq('room', B), await conversations.deliveredSeq('other', A)]).toEqual([6, 0, 0]);
      expect(await conversations.readSeq('room', A)).toBe(0);
      await conversations.markRead('room', A, 2);
      expect([await conversations.deliveredSeq('room', A), await conversations.readSeq('room', A)]).toEqual([6, 2]);
    });

    it('30 racing delivery marks end at the highest, reported moved by its caller, and never go back', async () => {
      const seqs = scrambled(Array.from({ length: 30 }, (_, i) => i + 1));
      const results = await Promise.all(seqs.map((seq) => stores().conversations.markDelivered('room', B, seq)));
      for (const [i, result] of results.entries()) expect(result.seq).toBeGreaterThanOrEqual(seqs[i]!);
      expect(results[seqs.indexOf(30)]).toEqual({ seq: 30, moved: true });
      expect(await stores().conversations.deliveredSeq('room', B)).toBe(30);
      const again = await Promise.all(scrambled(Array.from({ length: 10 }, (_, i) => stores().conversations.markDelivered('room', B, i + 5))));
      expect(again.every((r) => r.seq === 30 && !r.moved)).toBe(true);
      expect(await stores().conversations.deliveredSeq('room', B)).toBe(30);
      const same = await Promise.all(Array.from({ length: 6 }, () => stores().conversations.markDelivered('room', C, 7)));
      expect(same.filter((r) => r.moved)).toHaveLength(1);
    });

    it('lists every user\'s highest read mark in a room, racing calls and all', async () => {
      expect(await stores().conversations.readMarks('room')).toEqual([]);
      await Promise.all(scrambled([...Array.from({ length: 12 }, (_, i) => ['A', i + 1] as const), ...Array.from({ length: 6 }, (_, i) => ['B', i + 1] as const)]).map(([who, seq]) => stores().conversations.markRead('room', who === 'A' ? A : B, seq)));
      await stores().conversations.markRead('room', A, 3);
      await stores().conversations.markRead('other', C, 9);
      await stores().conversations.markDelivered('room', C, 9);
      expect(byUser(await stores().conversations.readMarks('room'))).toEqual([{ userId: A, seq: 12 }, { userId: B, seq: 6 }]);
      expect(await stores().conversations.readMarks('other')).toEqual([{ userId: C, seq: 9 }]);
      expect(await stores().conversations.readMarks('nowhere')).toEqual([]);
    });
  });
}
