import type { AuthorDto } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import type { NewMessage, StoredMessage, Stores, UserRecord } from '../../src/store/ports.js';

/**
 * The store contract for administration's additions to users and messages (roles, deactivation,
 * a moderator's removals, a ban's walk through an author's messages), run inside
 * describeStoreContract so every implementation gets it: `stores()` is the current test's.
 */
export function describeModerationContract(stores: () => Stores) {
  const at = new Date('2026-03-01T12:00:00.000Z');
  const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
  const alice: AuthorDto = { id: 'a'.repeat(24), name: 'Alice' };
  const bob: AuthorDto = { id: 'b'.repeat(24), name: 'Bob' };
  const moderator: AuthorDto = { id: 'd'.repeat(24), name: 'Mod' };
  let clientIds = 0;
  const send = async (overrides: Partial<NewMessage> = {}) =>
    (await stores().messages.append({ roomId: 'lobby', clientId: `mod-${(clientIds += 1)}`, author: alice, body: 'hello', createdAt: at, ...overrides })).message;
  /** A moderator's removal as the moderation service does it: the erase, then an entry written by the moderator. */
  async function remove(target: StoredMessage, countAuthors = false) {
    await stores().messages.erase(target.id, later(60), { byModerator: true });
    return send({
      roomId: target.roomId,
      clientId: `remove:${target.id}`,
      author: moderator,
      body: '',
      recall: { messageId: target.id, seq: target.seq, byModerator: true },
      ...(countAuthors ? { countAuthors } : {}),
    });
  }
  async function createUser(username: string, role?: 'admin' | 'member'): Promise<UserRecord> {
    const user = await stores().users.create({ username, displayName: username, passwordHash: 'hash', createdAt: at, ...(role ? { role } : {}) });
    if (user === 'username_taken') throw new Error('unexpected');
    return user;
  }

  describe('roles and deactivation', () => {
    it('a new user is an active member unless created as an admin', async () => {
      const member = await createUser('member');
      const admin = await createUser('admin', 'admin');
      expect(member).toMatchObject({ role: 'member', deactivatedAt: null, bannedAt: null });
      expect(admin).toMatchObject({ role: 'admin', deactivatedAt: null, bannedAt: null });
      expect(await stores().users.findById(admin.id)).toEqual(admin);
      expect(await stores().users.findByUsername('MEMBER')).toEqual(member);
    });

    it('sets a role and returns the user as stored; an unknown id is null and changes nothing', async () => {
      const user = await createUser('carol');
      const promoted = await stores().users.setRole(user.id, 'admin');
      expect(promoted).toEqual({ ...user, role: 'admin' });
      expect(await stores().users.findById(user.id)).toEqual(promoted);
      expect(await stores().users.setRole('0'.repeat(24), 'admin')).toBeNull();
      expect(await stores().users.countActiveAdmins()).toBe(1);
      expect((await stores().users.setRole(user.id, 'member'))?.role).toBe('member');
      expect(await stores().users.countActiveAdmins()).toBe(0);
    });

    it('deactivates and reactivates; a ban sets bannedAt, which a reactivation keeps', async () => {
      const user = await createUser('dave');
      const other = await createUser('erin');
      const deactivated = await stores().users.setDeactivated(user.id, { deactivatedAt: later(1) });
      expect(deactivated).toEqual({ ...user, deactivatedAt: later(1), bannedAt: null });
      expect(await stores().users.deactivatedIds()).toEqual([user.id]);
      const banned = await stores().users.setDeactivated(other.id, { deactivatedAt: later(2), bannedAt: later(2) });
      expect(banned).toEqual({ ...other, deactivatedAt: later(2), bannedAt: later(2) });
      expect((await stores().users.deactivatedIds()).sort()).toEqual([user.id, other.id].sort());

      const reactivated = await stores().users.setDeactivated(other.id, { deactivatedAt: null });
      expect(reactivated).toEqual({ ...other, deactivatedAt: null, bannedAt: later(2) });
      expect(await stores().users.findByUsername('erin')).toEqual(reactivated);
      expect(await stores().users.deactivatedIds()).toEqual([user.id]);
      expect(await stores().users.setDeactivated('0'.repeat(24), { deactivatedAt: later(3) })).toBeNull();
      expect(await stores().users.deactivatedIds()).toEqual([user.id]);
    });

    it('deletes a user: gone by id and by name, the username free again, others untouched; an unknown id is false', async () => {
      const doomed = await createUser('Doomed', 'admin');
      const kept = await createUser('kept', 'admin');
      const count = await stores().users.count();
      expect(await stores().users.delete(doomed.id)).toBe(true);
      expect(await stores().users.findById(doomed.id)).toBeNull();
      expect(await stores().users.findByUsername('doomed')).toBeNull();
      expect((await stores().users.search({ prefix: 'doomed', limit: 10 })).map((u) => u.id)).toEqual([]);
      expect(await stores().users.count()).toBe(count - 1);
      expect(await stores().users.countActiveAdmins()).toBe(1);
      expect(await stores().users.findById(kept.id)).toEqual(kept);
      expect(await stores().users.delete(doomed.id)).toBe(false);
      expect(await stores().users.delete('0'.repeat(24))).toBe(false);
      expect(await stores().users.delete('not an id')).toBe(false);
      const again = await stores().users.create({ username: 'DOOMED', displayName: 'Again', passwordHash: 'hash', createdAt: at });
      expect(again).toMatchObject({ username: 'DOOMED', role: 'member' });
      expect((again as UserRecord).id).not.toBe(doomed.id);
    });

    it('counts admins who are not deactivated', async () => {
      const [first, second] = [await createUser('first', 'admin'), await createUser('second', 'admin')];
      await createUser('third');
      expect(await stores().users.countActiveAdmins()).toBe(2);
      await stores().users.setDeactivated(first.id, { deactivatedAt: later(1) });
      expect(await stores().users.countActiveAdmins()).toBe(1);
      await stores().users.setDeactivated(first.id, { deactivatedAt: null });
      await stores().users.setRole(second.id, 'member');
      expect(await stores().users.countActiveAdmins()).toBe(1);
    });

    it('a change of role, deactivation and password of one user, all at once, each take effect', async () => {
      const users = await Promise.all(Array.from({ length: 10 }, (_, i) => createUser(`racer${i}`)));
      await Promise.all(
        users.flatMap((user) => [
          stores().users.setRole(user.id, 'admin'),
          stores().users.setDeactivated(user.id, { deactivatedAt: later(5), bannedAt: later(5) }),
          stores().users.setPasswordHash(user.id, 'new hash'),
        ]),
      );
      for (const user of users) {
        expect(await stores().users.findById(user.id)).toEqual({ ...user, role: 'admin', deactivatedAt: later(5), bannedAt: later(5), passwordHash: 'new hash' });
      }
      expect(await stores().users.countActiveAdmins()).toBe(0);
    });
  });

  describe('a moderator\'s removals', () => {
    it('erasing as a moderator marks the message removed by a moderator, a mark a later erase keeps', async () => {
      const message = await send({ body: 'spam', mentions: [{ id: bob.id, username: 'bob' }] });
      await stores().messages.erase(message.id, later(1), { byModerator: true });
      const { mentions: _gone, ...rest } = message;
      const removed = { ...rest, body: '', recalledAt: later(1).toISOString(), removedByModerator: true };
      expect(await stores().messages.findById(message.id)).toEqual(removed);
      await stores().messages.erase(message.id, later(2));
      expect(await stores().messages.findById(message.id)).toEqual(removed);
      expect((await stores().messages.history('lobby', { limit: 10 })).messages).toEqual([removed]);
    });

    it('a moderator may remove a message its author recalled: the first time is kept, and the mark is added', async () => {
      const message = await send({ body: 'oops' });
      await stores().messages.erase(message.id, later(1));
      expect((await stores().messages.findById(message.id))?.removedByModerator).toBeUndefined();
      await stores().messages.erase(message.id, later(2), { byModerator: true });
      expect(await stores().messages.findById(message.id)).toEqual({ ...message, body: '', recalledAt: later(1).toISOString(), removedByModerator: true });
    });

    it('an edit after a moderator\'s removal changes nothing', async () => {
      const message = await send({ body: 'spam' });
      await stores().messages.erase(message.id, later(1), { byModerator: true });
      const edited = await stores().messages.edit(message.id, { body: 'back', mentions: [], editedAt: later(2) });
      expect(edited).toEqual({ ...message, body: '', recalledAt: later(1).toISOString(), removedByModerator: true });
    });

    it('a removal entry says it is a moderator\'s, in every read', async () => {
      const message = await send();
      const entry = await remove(message);
      expect(entry).toMatchObject({ author: moderator, body: '', recall: { messageId: message.id, seq: message.seq, byModerator: true } });
      expect(await stores().messages.findById(entry.id)).toEqual(entry);
      expect((await stores().messages.since('lobby', { afterSeq: 0, limit: 10 })).messages.at(-1)).toEqual(entry);
      const plain = await send();
      await stores().messages.erase(plain.id, later(1));
      const recall = await send({ clientId: `recall:${plain.id}`, body: '', recall: { messageId: plain.id, seq: plain.seq } });
      expect(recall.recall).toEqual({ messageId: plain.id, seq: plain.seq });
    });

    for (const countAuthors of [false, true]) {
      it(`a removal entry, written by the moderator, uncounts the message for every reader, the moderator and its author included${countAuthors ? ' (a room that counts authors)' : ''}`, async () => {
        const roomId = countAuthors ? 'counted' : 'plain';
        const options = countAuthors ? { roomId, countAuthors } : { roomId };
        const [first, spam, last] = [await send({ ...options, author: alice }), await send({ ...options, author: bob }), await send({ ...options, author: bob })];
        await remove(spam, countAuthors);
        const unread = (reader: AuthorDto, afterSeq = 0, throughSeq?: number) =>
          stores().messages.countUnread(roomId, { afterSeq, excludeAuthorId: reader.id, ...(throughSeq ? { throughSeq } : {}) });
        expect([await unread(alice), await unread(bob), await unread(moderator)]).toEqual([1, 1, 2]);
        expect([await unread(alice, first.seq), await unread(moderator, spam.seq)]).toEqual([1, 1]);
        // Through the message after it, before the entry: as live clients saw it then.
        expect([await unread(alice, 0, last.seq), await unread(moderator, 0, last.seq)]).toEqual([2, 3]);
      });
    }

    it('a message erased by a moderator whose entry was never stored does not count, and counts once the entry is stored', async () => {
      const spam = await send({ roomId: 'halfway', author: bob });
      await send({ roomId: 'halfway', author: bob });
      await stores().messages.erase(spam.id, later(1), { byModerator: true });
      expect(await stores().messages.countUnread('halfway', { afterSeq: 0, excludeAuthorId: alice.id })).toBe(1);
      await send({ roomId: 'halfway', clientId: `remove:${spam.id}`, author: moderator, body: '', recall: { messageId: spam.id, seq: spam.seq, byModerator: true } });
      expect(await stores().messages.countUnread('halfway', { afterSeq: 0, excludeAuthorId: alice.id })).toBe(1);
      expect(await stores().messages.countUnread('halfway', { afterSeq: 0, excludeAuthorId: moderator.id })).toBe(1);
    });
  });

  describe('an author\'s messages (what a ban removes)', () => {
    it('lists the author\'s messages in every room by id, a page at a time, with no gap or overlap', async () => {
      const mine: StoredMessage[] = [];
      for (let i = 0; i < 7; i += 1) {
        mine.push(await send({ roomId: i % 2 ? 'lobby' : `c:${'1'.repeat(24)}`, author: bob, body: `b${i}` }));
        await send({ author: alice, body: `a${i}` });
      }
      const expected = [...mine].sort((x, y) => (x.id < y.id ? -1 : 1));
      const pages: StoredMessage[][] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await stores().messages.authoredBy(bob.id, { ...(afterId ? { afterId } : {}), limit: 3 });
        if (page.length === 0) break;
        pages.push(page);
        afterId = page.at(-1)!.id;
      }
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(expected);
      expect(await stores().messages.authoredBy('e'.repeat(24), { limit: 10 })).toEqual([]);
    });

    it('leaves out recall, event and change entries, and messages already erased', async () => {
      const kept = await send({ author: bob, body: 'kept' });
      const recalled = await send({ author: bob, body: 'recalled' });
      const removed = await send({ author: bob, body: 'removed' });
      await stores().messages.erase(recalled.id, later(1));
      await send({ author: bob, clientId: `recall:${recalled.id}`, body: '', recall: { messageId: recalled.id, seq: recalled.seq } });
      await remove(removed);
      await send({ author: bob, body: '', event: { type: 'joined', user: bob } });
      await send({ author: bob, clientId: 'edit:1', body: '', change: { type: 'edit', messageId: kept.id, seq: kept.seq } });
      const files = await send({ author: bob, body: '', attachments: [{ id: '3'.repeat(24), name: 'a.txt', contentType: 'text/plain', size: 1, kind: 'file' }] });
      expect(await stores().messages.authoredBy(bob.id, { limit: 50 })).toEqual([kept, files]);
      // A ban walks page by page, erasing as it goes: what it erased leaves the next page.
      await stores().messages.erase(kept.id, later(2), { byModerator: true });
      expect(await stores().messages.authoredBy(bob.id, { limit: 50 })).toEqual([files]);
    });
  });
}
