import { createHash } from 'node:crypto';
import type { AuthorDto } from '@confab/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord, InvitationRecord, Stores } from '../../src/store/ports.js';
import type { StoresPair } from './notifySettingStoreContract.js';

/** Ids as the server makes them (24 hex digits that grow with time): the n-th of a test. */
const idOf = (n: number) => `65f000000000${n.toString(16).padStart(12, '0')}`;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** One store as both of a pair: for a store no other process can share (memory), races are between its own calls. */
export async function samePair(stores: Promise<Stores> | Stores): Promise<StoresPair> {
  const one = await stores;
  return { a: one, b: one, close: () => one.close() };
}

/**
 * The behaviour every SettingsStore, InvitationStore, ReportStore and AuditStore must have, and
 * the UserStore's conditional role change. Run once per implementation, on two stores on one
 * database as two server processes have them (`samePair(createMemoryStores())` where there can
 * be only one): the races are between the two.
 */
export function describeAdminStoreContract(name: string, makePair: () => Promise<StoresPair>) {
  describe(`${name} admin store contract`, () => {
    let stores: Stores;
    let pair: StoresPair;
    beforeEach(async () => {
      pair = await makePair();
      stores = pair.a;
      return () => pair.close();
    });
    /** Alternately one process and the other: a race between two servers where there are two. */
    const either = (i: number) => (i % 2 ? pair.a : pair.b);

    const at = new Date('2026-03-01T12:00:00.000Z');
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    const admin: AuthorDto = { id: 'a'.repeat(24), name: 'Admin' };
    const member: AuthorDto = { id: 'b'.repeat(24), name: 'Member' };
    const carol: AuthorDto = { id: 'c'.repeat(24), name: 'Carol' };

    describe('settings', () => {
      it('has nothing saved at first', async () => {
        expect(await stores.settings.get()).toEqual({});
      });

      it('saves only the fields given, keeps the others, and takes null as a value', async () => {
        expect(await stores.settings.update({ serverName: 'Acme chat', registration: 'invitation' })).toEqual({ serverName: 'Acme chat', registration: 'invitation' });
        expect(await stores.settings.update({ editWindowMs: null, uploadQuotaBytes: 1_048_576 })).toEqual({
          serverName: 'Acme chat', registration: 'invitation', editWindowMs: null, uploadQuotaBytes: 1_048_576,
        });
        expect(await stores.settings.update({ registration: 'closed', uploadQuotaBytes: null, membersCanInvite: false, serverName: undefined })).toEqual({
          serverName: 'Acme chat', registration: 'closed', editWindowMs: null, uploadQuotaBytes: null, membersCanInvite: false,
        });
        expect(await stores.settings.update({ recallWindowMs: 0, rateLimitPreset: 'strict', uploadMaxBytes: 2048 })).toMatchObject({ recallWindowMs: 0, rateLimitPreset: 'strict', uploadMaxBytes: 2048 });
        expect(await stores.settings.get()).toEqual({
          serverName: 'Acme chat', registration: 'closed', editWindowMs: null, uploadQuotaBytes: null, membersCanInvite: false, recallWindowMs: 0, rateLimitPreset: 'strict', uploadMaxBytes: 2048,
        });
      });

      it('racing saves of different settings all take effect, on new settings and on saved ones', async () => {
        const round = (names: [string, string]) =>
          Promise.all(
            Array.from({ length: 12 }, (_, i) =>
              i % 3 === 0
                ? either(i).settings.update({ serverName: names[i % 2]! })
                : i % 3 === 1
                  ? either(i).settings.update({ registration: i % 2 ? 'closed' : 'invitation' })
                  : either(i).settings.update({ editWindowMs: null, recallWindowMs: 60_000 }),
            ),
          );
        await round(['One', 'Two']);
        const first = await pair.a.settings.get();
        expect(Object.keys(first).sort()).toEqual(['editWindowMs', 'recallWindowMs', 'registration', 'serverName']);
        expect(first).toMatchObject({ editWindowMs: null, recallWindowMs: 60_000 });
        await pair.a.settings.update({ editWindowMs: 5, recallWindowMs: 5 });
        await round(['Three', 'Four']);
        const second = await pair.b.settings.get();
        expect(['Three', 'Four']).toContain(second.serverName);
        expect(['closed', 'invitation']).toContain(second.registration);
        expect(second).toMatchObject({ editWindowMs: null, recallWindowMs: 60_000 });
      });

      it('the first account is claimed once, for good: of 20 racing claims exactly one wins', async () => {
        const users = Array.from({ length: 20 }, (_, i) => idOf(100 + i));
        const results = await Promise.all(users.map((userId, i) => either(i).settings.claimFirstAccount(userId)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await stores.settings.claimFirstAccount(users[results.indexOf(true)]!)).toBe(false);
        expect(await stores.settings.claimFirstAccount(idOf(999))).toBe(false);
      });
    });

    describe('roles', () => {
      it('replaces a role only from the one it still has: of 20 racing promotions of a member exactly one changes it', async () => {
        const created = await stores.users.create({ username: 'chief', displayName: 'Chief', passwordHash: 'hash', createdAt: at });
        if (created === 'username_taken') throw new Error('unexpected');
        expect(await stores.users.replaceRole(created.id, { from: 'admin', to: 'member' })).toBeNull();
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => either(i).users.replaceRole(created.id, { from: 'member', to: 'admin' })));
        expect(results.filter((r) => r !== null)).toEqual([{ ...created, role: 'admin' }]);
        expect(await pair.b.users.findById(created.id)).toEqual({ ...created, role: 'admin' });
        expect(await stores.users.replaceRole(created.id, { from: 'admin', to: 'member' })).toEqual(created);
        expect(await stores.users.replaceRole(idOf(999), { from: 'member', to: 'admin' })).toBeNull();
      });
    });

    describe('invitations', () => {
      const invitation = (n: number, overrides: Partial<InvitationRecord> = {}): InvitationRecord => ({
        id: idOf(n),
        tokenHash: hashOf(`token-${n}`),
        createdBy: admin,
        createdAt: later(n),
        expiresAt: later(3600 + n),
        maxUses: 5,
        revokedAt: null,
        uses: 0,
        ...overrides,
      });

      it('stores an invitation and finds it by id and by its token\'s hash, with no uses', async () => {
        const stored = invitation(1, { uses: 3 });
        await stores.invitations.create(stored);
        const expected = { ...stored, uses: 0 };
        expect(await stores.invitations.find(stored.id)).toEqual(expected);
        expect(await stores.invitations.findByTokenHash(hashOf('token-1'))).toEqual(expected);
        expect(await stores.invitations.findByTokenHash(hashOf('forged'))).toBeNull();
        expect(await stores.invitations.find(idOf(2))).toBeNull();
        expect(await stores.invitations.find('not an id')).toBeNull();
      });

      it('takes uses 1, 2, 3… up to maxUses, then none; a use given back is taken again; uses are counted', async () => {
        await stores.invitations.create(invitation(1, { maxUses: 3 }));
        const id = idOf(1);
        expect([await stores.invitations.takeUse(id, 3, at), await stores.invitations.takeUse(id, 3, at), await stores.invitations.takeUse(id, 3, at)]).toEqual([1, 2, 3]);
        expect(await stores.invitations.takeUse(id, 3, at)).toBeNull();
        expect((await stores.invitations.find(id))?.uses).toBe(3);
        await stores.invitations.releaseUse(id, 2);
        expect((await stores.invitations.findByTokenHash(hashOf('token-1')))?.uses).toBe(2);
        expect(await stores.invitations.takeUse(id, 3, at)).toBe(2);
        expect(await stores.invitations.takeUse(id, 3, at)).toBeNull();
        await stores.invitations.releaseUse(id, 7);
        expect((await stores.invitations.find(id))?.uses).toBe(3);
      });

      it('20 racing takes of an invitation with 5 uses: exactly 5 win, each a different use', async () => {
        await stores.invitations.create(invitation(1));
        const id = idOf(1);
        const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => either(i).invitations.takeUse(id, 5, at)));
        const won = taken.filter((use) => use !== null);
        expect(won.sort()).toEqual([1, 2, 3, 4, 5]);
        expect((await stores.invitations.find(id))?.uses).toBe(5);
      });

      it('lists newest first, up to the limit, only one creator\'s when asked, each with its uses', async () => {
        for (const n of [1, 2, 3, 4]) await stores.invitations.create(invitation(n, { createdBy: n % 2 ? admin : member }));
        await stores.invitations.takeUse(idOf(2), 5, at);
        await stores.invitations.takeUse(idOf(2), 5, at);
        await stores.invitations.takeUse(idOf(3), 5, at);
        const all = await stores.invitations.list({ limit: 10 });
        expect(all.map((i) => i.id)).toEqual([idOf(4), idOf(3), idOf(2), idOf(1)]);
        expect(all.map((i) => i.uses)).toEqual([0, 1, 2, 0]);
        expect((await stores.invitations.list({ limit: 2 })).map((i) => i.id)).toEqual([idOf(4), idOf(3)]);
        expect(await stores.invitations.list({ createdBy: member.id, limit: 10 })).toEqual([invitation(4, { createdBy: member }), invitation(2, { createdBy: member, uses: 2 })]);
        expect(await stores.invitations.list({ createdBy: carol.id, limit: 10 })).toEqual([]);
      });

      it('pages newest first before an id, the whole list or one creator\'s, each page with its uses', async () => {
        for (const n of [1, 2, 3, 4, 5, 6]) await stores.invitations.create(invitation(n, { createdBy: n % 2 ? admin : member }));
        await stores.invitations.takeUse(idOf(2), 5, at);
        const ids = async (query: { createdBy?: string; before?: string; limit: number }) => (await stores.invitations.list(query)).map((i) => i.id);
        expect(await ids({ before: idOf(5), limit: 2 })).toEqual([idOf(4), idOf(3)]);
        expect(await ids({ before: idOf(3), limit: 10 })).toEqual([idOf(2), idOf(1)]);
        expect(await ids({ before: idOf(1), limit: 10 })).toEqual([]);
        expect(await ids({ createdBy: member.id, before: idOf(6), limit: 1 })).toEqual([idOf(4)]);
        expect(await stores.invitations.list({ createdBy: member.id, before: idOf(4), limit: 10 })).toEqual([invitation(2, { createdBy: member, uses: 1 })]);
        expect(await ids({ createdBy: admin.id, before: idOf(2), limit: 10 })).toEqual([idOf(1)]);
        // An id of no invitation still marks a place.
        expect(await ids({ before: idOf(99), limit: 3 })).toEqual([idOf(6), idOf(5), idOf(4)]);
      });

      it('revokes once: the first time is kept; an unknown invitation is null', async () => {
        await stores.invitations.create(invitation(1));
        expect(await stores.invitations.revoke(idOf(1), later(10))).toEqual(invitation(1, { revokedAt: later(10) }));
        expect(await stores.invitations.revoke(idOf(1), later(20))).toEqual(invitation(1, { revokedAt: later(10) }));
        expect(await stores.invitations.find(idOf(1))).toEqual(invitation(1, { revokedAt: later(10) }));
        expect(await stores.invitations.revoke(idOf(9), later(10))).toBeNull();
      });

      it('refuses a second invitation with the same token\'s hash', async () => {
        await stores.invitations.create(invitation(1));
        await expect(stores.invitations.create(invitation(2, { tokenHash: hashOf('token-1') }))).rejects.toThrow();
        expect(await stores.invitations.find(idOf(2))).toBeNull();
      });
    });

    describe('reports', () => {
      const report = (n: number, messageId: string, reporter: AuthorDto) => ({
        id: idOf(n),
        messageId,
        roomId: 'lobby',
        reporter,
        reason: n % 2 ? `spam ${n}` : '',
        createdAt: later(n),
      });
      const [m1, m2] = [idOf(501), idOf(502)];

      it('stores a report as open, and finds it', async () => {
        const stored = await stores.reports.create(report(1, m1, member));
        const expected = { ...report(1, m1, member), status: 'open', resolvedBy: null, resolvedAt: null };
        expect(stored).toEqual(expected);
        expect(await stores.reports.find(idOf(1))).toEqual(expected);
        expect(await stores.reports.find(idOf(2))).toBeNull();
        // An empty reason is a reason.
        expect(await stores.reports.create(report(2, m1, carol))).toMatchObject({ reason: '' });
      });

      it('one report per reporter and message: a second, even racing, is a duplicate', async () => {
        await stores.reports.create(report(1, m1, member));
        expect(await stores.reports.create(report(2, m1, member))).toBe('duplicate');
        expect(await stores.reports.find(idOf(2))).toBeNull();
        const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => either(i).reports.create(report(10 + i, m2, carol))));
        expect(racing.filter((r) => r !== 'duplicate')).toHaveLength(1);
        expect(await stores.reports.create(report(30, m2, member))).not.toBe('duplicate');
      });

      it('lists newest first, open ones unless all are asked for, a page before an id', async () => {
        for (const n of [1, 2, 3, 4, 5]) await stores.reports.create(report(n, idOf(600 + n), member));
        await stores.reports.resolve(idOf(2), { status: 'dismissed', by: admin, at: later(100) });
        await stores.reports.resolve(idOf(4), { status: 'removed', by: admin, at: later(100) });
        const ids = async (query: { status: 'open' | 'all'; before?: string; limit: number }) => (await stores.reports.list(query)).map((r) => r.id);
        expect(await ids({ status: 'open', limit: 10 })).toEqual([idOf(5), idOf(3), idOf(1)]);
        expect(await ids({ status: 'all', limit: 10 })).toEqual([idOf(5), idOf(4), idOf(3), idOf(2), idOf(1)]);
        expect(await ids({ status: 'all', limit: 2 })).toEqual([idOf(5), idOf(4)]);
        expect(await ids({ status: 'all', before: idOf(4), limit: 2 })).toEqual([idOf(3), idOf(2)]);
        expect(await ids({ status: 'open', before: idOf(5), limit: 10 })).toEqual([idOf(3), idOf(1)]);
        expect(await ids({ status: 'open', before: idOf(1), limit: 10 })).toEqual([]);
        expect((await stores.reports.list({ status: 'all', limit: 10 }))[1]).toEqual({ ...report(4, idOf(604), member), status: 'removed', resolvedBy: admin, resolvedAt: later(100) });
      });

      it('resolves an open report once; a resolved one is returned unchanged; an unknown one is null', async () => {
        await stores.reports.create(report(1, m1, member));
        const dismissed = { ...report(1, m1, member), status: 'dismissed', resolvedBy: admin, resolvedAt: later(10) };
        expect(await stores.reports.resolve(idOf(1), { status: 'dismissed', by: admin, at: later(10) })).toEqual(dismissed);
        expect(await stores.reports.resolve(idOf(1), { status: 'removed', by: carol, at: later(20) })).toEqual(dismissed);
        expect(await stores.reports.find(idOf(1))).toEqual(dismissed);
        expect(await stores.reports.resolve(idOf(9), { status: 'removed', by: admin, at: later(20) })).toBeNull();
      });

      it('resolves every open report of a message as removed, and says how many', async () => {
        await stores.reports.create(report(1, m1, member));
        await stores.reports.create(report(2, m1, carol));
        await stores.reports.create(report(3, m1, admin));
        await stores.reports.create(report(4, m2, member));
        await stores.reports.resolve(idOf(3), { status: 'dismissed', by: admin, at: later(5) });
        expect(await stores.reports.resolveAllOf(m1, { by: admin, at: later(10) })).toBe(2);
        expect((await stores.reports.list({ status: 'all', limit: 10 })).map((r) => [r.id, r.status, r.resolvedAt])).toEqual([
          [idOf(4), 'open', null],
          [idOf(3), 'dismissed', later(5)],
          [idOf(2), 'removed', later(10)],
          [idOf(1), 'removed', later(10)],
        ]);
        expect(await stores.reports.resolveAllOf(m1, { by: admin, at: later(20) })).toBe(0);
      });
    });

    describe('audit log', () => {
      const entry = (n: number, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
        id: idOf(n),
        at: later(n),
        actor: admin,
        action: 'user.deactivate',
        target: { kind: 'user', id: member.id, label: 'member' },
        ...overrides,
      });

      it('keeps entries as written, newest first, a page before an id', async () => {
        const written = [
          entry(1, { details: { role: 'admin' }, action: 'user.role' }),
          entry(2, { actor: { id: 'operator', name: 'operator' }, action: 'user.create' }),
          entry(3, { action: 'settings.update', target: { kind: 'settings', id: 'settings', label: '' }, details: { registration: 'closed', serverName: 'Acme' } }),
          entry(4),
        ];
        for (const e of written) await stores.audit.append(e);
        expect(await stores.audit.list({ limit: 10 })).toEqual([...written].reverse());
        expect(await stores.audit.list({ limit: 2 })).toEqual([written[3], written[2]]);
        expect(await stores.audit.list({ before: idOf(3), limit: 10 })).toEqual([written[1], written[0]]);
        expect(await stores.audit.list({ before: idOf(1), limit: 10 })).toEqual([]);
      });

      it('entries appended at once from two servers are all kept', async () => {
        await Promise.all(Array.from({ length: 20 }, (_, i) => either(i).audit.append(entry(i + 1))));
        expect((await stores.audit.list({ limit: 50 })).map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => idOf(20 - i)));
      });
    });
  });
}
