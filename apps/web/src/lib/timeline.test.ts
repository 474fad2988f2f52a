import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { ALICE, BOB, message, outboxItem } from '../testing/factories';
import { REPLY_RECALLED_MESSAGE } from './roomMessages';
import { buildTimeline, countNewMessages, createTimelineCache, dayLabel, GROUP_WINDOW_MS, type TimelineEntry, type TimelineMessage } from './timeline';

const now = new Date(2026, 2, 10, 15, 0);
const at = (day: number, hour: number, minute = 0, second = 0) => new Date(2026, 2, day, hour, minute, second).toISOString();
const rows = (entries: TimelineEntry[]) => entries.filter((e): e is TimelineMessage => e.kind === 'message');
const shape = (entries: TimelineEntry[]) =>
  entries.map((e) =>
    e.kind === 'day' ? `day:${e.label}` : e.kind === 'event' ? `event:${e.event.type}` : e.kind === 'unread' ? 'NEW' : `${e.body}${e.isGroupStart ? ' *' : ''}`,
  );

describe('buildTimeline', () => {
  it('shows a room event as a line of its own that no message groups across, and never as a message', () => {
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'a1', createdAt: at(10, 9, 0) }),
        message(2, { author: BOB, body: '', event: { type: 'joined' }, createdAt: at(10, 9, 1) }),
        message(3, { author: ALICE, body: 'a2', createdAt: at(10, 9, 2) }),
      ],
      [],
      ALICE,
      now,
    );
    expect(shape(entries)).toEqual(['day:Today', 'a1 *', 'event:joined', 'a2 *']);
    expect(rows(entries).map((r) => r.seq)).toEqual([1, 3]);
    expect(countNewMessages(entries, 0)).toBe(0);
  });

  it('groups consecutive messages by one author within the window', () => {
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'a1', createdAt: at(10, 9, 0) }),
        message(2, { author: ALICE, body: 'a2', createdAt: at(10, 9, 4) }),
        message(3, { author: BOB, body: 'b1', createdAt: at(10, 9, 5) }),
        message(4, { author: ALICE, body: 'a3', createdAt: at(10, 9, 6) }),
      ],
      [],
      ALICE,
      now,
    );
    expect(shape(entries)).toEqual(['day:Today', 'a1 *', 'a2', 'b1 *', 'a3 *']);
  });

  it('starts a new group when the same author pauses for the window or longer', () => {
    const first = new Date(2026, 2, 10, 9, 0);
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'a1', createdAt: first.toISOString() }),
        message(2, { author: ALICE, body: 'a2', createdAt: new Date(first.getTime() + GROUP_WINDOW_MS - 1).toISOString() }),
        message(3, { author: ALICE, body: 'a3', createdAt: new Date(first.getTime() + 2 * GROUP_WINDOW_MS).toISOString() }),
      ],
      [],
      ALICE,
      now,
    );
    expect(shape(entries)).toEqual(['day:Today', 'a1 *', 'a2', 'a3 *']);
  });

  it('puts a separator before each new local day and restarts grouping after it', () => {
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'old', createdAt: at(2, 23, 58) }),
        message(2, { author: ALICE, body: 'yesterday', createdAt: at(9, 23, 59) }),
        message(3, { author: ALICE, body: 'today', createdAt: at(10, 0, 1) }),
      ],
      [],
      null,
      now,
    );
    const labels = entries.filter((e) => e.kind === 'day').map((e) => e.label);
    expect(labels).toHaveLength(3);
    expect(labels.slice(1)).toEqual(['Yesterday', 'Today']);
    expect(labels[0]).toContain('March');
    expect(rows(entries).every((r) => r.isGroupStart)).toBe(true);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  });

  it('shows the outbox last, in writing order, as our own pending or failed messages', () => {
    const entries = buildTimeline(
      [message(1, { author: BOB, body: 'from bob', createdAt: at(10, 14, 0) })],
      [
        outboxItem('x', { body: 'first draft', createdAt: at(10, 14, 1) }),
        outboxItem('y', { body: 'refused', createdAt: at(10, 14, 2), status: 'failed', error: { code: 'invalid_payload', message: 'body: too long' } }),
        outboxItem('z', { body: 'failed without reason', createdAt: at(10, 14, 3), status: 'failed' }),
      ],
      ALICE,
      now,
    );
    const [bob, ...mine] = rows(entries);
    expect(bob).toMatchObject({ body: 'from bob', status: 'sent', isOwn: false, seq: 1 });
    expect(mine.map((r) => [r.body, r.status, r.errorMessage, r.isOwn, r.seq, r.authorName])).toEqual([
      ['first draft', 'pending', null, true, null, 'Alice Archer'],
      ['refused', 'failed', 'body: too long', true, null, 'Alice Archer'],
      ['failed without reason', 'failed', 'Not delivered', true, null, 'Alice Archer'],
    ]);
    expect(mine.map((r) => r.isGroupStart)).toEqual([true, false, false]);
  });

  it('keeps a message\'s key when it moves from the outbox to the stored list', () => {
    const pending = rows(buildTimeline([], [outboxItem('k1', { createdAt: at(10, 14) })], ALICE, now))[0]!;
    const stored = rows(buildTimeline([message(5, { author: ALICE, clientId: 'k1', createdAt: at(10, 14) })], [], ALICE, now))[0]!;
    expect(stored.key).toBe(pending.key);
    expect(stored.status).toBe('sent');
  });
});

describe('countNewMessages', () => {
  const old = message(1, { author: ALICE, body: 'old' });
  /** Alice's recall of `target`, the entry the server appends with seq `seq`. */
  const recallOf = (seq: number, target: typeof old) =>
    message(seq, { author: target.author, body: '', recall: { messageId: target.id, seq: target.seq } });
  const count = (messages: Parameters<typeof buildTimeline>[0], seenSeq: number, outbox: Parameters<typeof buildTimeline>[1] = []) =>
    countNewMessages(buildTimeline(messages, outbox, BOB, now), seenSeq);

  it('counts messages by others stored after what the reader saw', () => {
    expect(count([old, message(2, { author: ALICE }), message(3, { author: ALICE })], 1)).toBe(2);
    expect(count([old, message(2, { author: ALICE })], 2)).toBe(0);
  });

  it('never counts a recall entry, though it is stored after what the reader saw', () => {
    expect(count([{ ...old, body: '', recalledAt: at(10, 14) }, recallOf(2, old)], 1)).toBe(0);
  });

  it('stops counting a new message once it is recalled', () => {
    const fresh = message(3, { author: ALICE, body: 'fresh' });
    const seen = [{ ...old, body: '', recalledAt: at(10, 14) }, recallOf(2, old)];
    expect(count([...seen, fresh], 1)).toBe(1);
    expect(count([...seen, { ...fresh, body: '', recalledAt: at(10, 14) }, recallOf(4, fresh)], 1)).toBe(0);
  });

  it('never counts the reader\'s own messages, stored or still in the outbox', () => {
    expect(count([old, message(2, { author: BOB })], 1, [outboxItem('p1')])).toBe(0);
  });
  it('never counts an edit or reaction entry, and no row is made of one', () => {
    const change = message(2, { author: ALICE, body: '', change: { type: 'edit', messageId: old.id, seq: 1, state: { body: 'old, edited', editedAt: at(10, 14) } } });
    expect(count([old, change], 1)).toBe(0);
    expect(rows(buildTimeline([old, change], [], BOB, now)).map((r) => r.seq)).toEqual([1]);
  });
});

describe('rich messages in the timeline', () => {
  const quote = { messageId: 'e'.repeat(24), seq: 1, author: ALICE, excerpt: 'Are we **on** for `lunch`?' };

  it('shows "(edited)" data, mentions of the reader and reactions with the reader\'s own marked', () => {
    const [row] = rows(
      buildTimeline(
        [
          message(2, {
            author: ALICE,
            body: 'hi @bob',
            editedAt: at(10, 9, 30),
            mentions: [{ id: BOB.id, username: 'bob' }],
            reactions: [
              { emoji: '👍', users: [ALICE, BOB] },
              { emoji: '🎉', users: [ALICE] },
            ],
          }),
        ],
        [],
        BOB,
        now,
      ),
    );
    expect(row).toMatchObject({ editedAt: at(10, 9, 30), isMentioningMe: true });
    expect(row!.reactions).toEqual([
      { emoji: '👍', count: 2, names: ['Alice Archer', 'Bob Baker'], isMine: true },
      { emoji: '🎉', count: 1, names: ['Alice Archer'], isMine: false },
    ]);
    expect(rows(buildTimeline([message(2, { mentions: [{ id: ALICE.id, username: 'alice' }] })], [], BOB, now))[0]!.isMentioningMe).toBe(false);
  });

  it('quotes the original as one line of plain text, or as recalled, in stored and pending replies', () => {
    const original = message(1, { id: quote.messageId, author: ALICE, body: quote.excerpt });
    const entries = buildTimeline(
      [original, message(2, { author: BOB, body: 'yes', replyTo: quote }), message(3, { author: BOB, body: 'no', replyTo: { ...quote, excerpt: '', recalled: true } })],
      [outboxItem('p1', { body: 'maybe', replyTo: { messageId: quote.messageId, seq: 1, author: ALICE } })],
      BOB,
      now,
    );
    expect(rows(entries).map((r) => r.replyTo && [r.replyTo.authorName, r.replyTo.text, r.replyTo.isRecalled])).toEqual([
      null,
      ['Alice Archer', 'Are we on for lunch?', false],
      ['Alice Archer', '', true],
      ['Alice Archer', 'Are we on for lunch?', false],
    ]);
    // A reply always shows its author's header, even right after their own message.
    expect(rows(entries).map((r) => r.isGroupStart)).toEqual([true, true, true, true]);
  });

  it('a pending reply\'s quote is the original as held now: edited text, or recalled; a failed one to a gone original can only go without it', () => {
    const ref = { messageId: quote.messageId, seq: 1, author: ALICE };
    const quoteIn = (held: Parameters<typeof buildTimeline>[0], item = outboxItem('p1', { replyTo: ref })) => rows(buildTimeline(held, [item], BOB, now)).at(-1)!;
    expect(quoteIn([message(1, { id: ref.messageId, author: ALICE, body: 'Lunch at *one*?', editedAt: at(10, 5) })]).replyTo).toMatchObject({ text: 'Lunch at one?', isRecalled: false });
    const recalled = [message(1, { id: ref.messageId, author: ALICE, body: '', recalledAt: at(10, 6) })];
    expect(quoteIn(recalled).replyTo).toMatchObject({ text: '', isRecalled: true });
    expect(quoteIn(recalled).isOrphanReply).toBe(false);
    expect(quoteIn(recalled, outboxItem('p1', { replyTo: ref, status: 'failed', error: { code: 'not_found', message: 'gone' } })).isOrphanReply).toBe(true);
    // The server refused it as a reply before this client learnt of the recall.
    const refused = outboxItem('p1', { replyTo: ref, status: 'failed', error: { code: 'not_found', field: 'replyTo', message: 'gone' } });
    expect(quoteIn([message(1, { id: ref.messageId, author: ALICE, body: 'still here' })], refused).isOrphanReply).toBe(true);
    // What the room knows beyond the held messages comes through `quoteFor`.
    const viaRoom = rows(buildTimeline([], [outboxItem('p1', { replyTo: ref })], BOB, now, { quoteFor: (r) => ({ ...r, excerpt: 'known state' }) }))[0]!;
    expect(viaRoom.replyTo?.text).toBe('known state');
  });

  it('a recalled message keeps no text, reactions, mentions or edit mark', () => {
    const [row] = rows(
      buildTimeline([message(2, { body: '', recalledAt: at(10, 9), editedAt: at(10, 8), reactions: [{ emoji: '👍', users: [ALICE] }], replyTo: quote })], [], ALICE, now),
    );
    expect(row).toMatchObject({ isRecalled: true, editedAt: null, reactions: [], mentions: [], replyTo: null });
  });
});

describe('the "New messages" line', () => {
  const line = (messages: Parameters<typeof buildTimeline>[0], unreadAfterSeq: number | null) =>
    shape(buildTimeline(messages, [], ALICE, now, { unreadAfterSeq }));

  it('goes above the first message by someone else after the read mark, and starts a new group there', () => {
    const messages = [
      message(1, { author: BOB, body: 'b1', createdAt: at(10, 9, 0) }),
      message(2, { author: BOB, body: 'b2', createdAt: at(10, 9, 1) }),
      message(3, { author: BOB, body: 'b3', createdAt: at(10, 9, 2) }),
    ];
    expect(line(messages, 1)).toEqual(['day:Today', 'b1 *', 'NEW', 'b2 *', 'b3']);
    expect(line(messages, 3)).toEqual(['day:Today', 'b1 *', 'b2', 'b3']);
    expect(line(messages, null)).toEqual(['day:Today', 'b1 *', 'b2', 'b3']);
  });

  it('skips the reader\'s own messages, tombstones and change entries, and counts room events as unread', () => {
    const recalled = message(3, { author: BOB, body: '', recalledAt: at(10, 9, 3), createdAt: at(10, 9, 2) });
    const messages = [
      message(1, { author: BOB, body: 'b1', createdAt: at(10, 9, 0) }),
      message(2, { author: ALICE, body: 'a1', createdAt: at(10, 9, 1) }),
      recalled,
      message(4, { author: BOB, body: '', change: { type: 'reaction', messageId: 'x'.repeat(24), seq: 1, state: { body: 'b1' } }, createdAt: at(10, 9, 3) }),
      message(5, { author: BOB, body: '', event: { type: 'joined' }, createdAt: at(10, 9, 4) }),
      message(6, { author: BOB, body: 'b2', createdAt: at(10, 9, 5) }),
    ];
    expect(line(messages, 1)).toEqual(['day:Today', 'b1 *', 'a1 *', ' *', 'NEW', 'event:joined', 'b2 *']);
  });

  it('sits after the day separator when the first unread message starts a new day', () => {
    const messages = [message(1, { author: BOB, body: 'old', createdAt: at(9, 9) }), message(2, { author: BOB, body: 'new', createdAt: at(10, 9) })];
    expect(line(messages, 1)).toEqual(['day:Yesterday', 'old *', 'day:Today', 'NEW', 'new *']);
  });
});

describe('in Chinese', () => {
  afterEach(() => loadLocale('en'));

  it('labels days as today, yesterday or the date, the year only when it is not this year\'s', async () => {
    await loadLocale('zh-CN');
    expect(dayLabel(new Date(2026, 2, 10, 0, 1), now)).toBe('今天');
    expect(dayLabel(new Date(2026, 2, 9, 23, 59), now)).toBe('昨天');
    expect(dayLabel(new Date(2026, 2, 2, 12), now)).toBe('3月2日星期一');
    expect(dayLabel(new Date(2025, 11, 31, 12), now)).toBe('2025年12月31日星期三');
  });

  it('says why a message of ours was not sent in the language on screen, and names the reply\'s missing original', async () => {
    const failed = (error?: { code: 'not_found' | 'rate_limited'; message: string; field?: string }) =>
      rows(buildTimeline([], [outboxItem('f', { status: 'failed', error })], ALICE, now))[0]!.errorMessage;
    const replyGone = { code: 'not_found' as const, field: 'replyTo', message: REPLY_RECALLED_MESSAGE };
    expect(failed(replyGone)).toBe(REPLY_RECALLED_MESSAGE);
    await loadLocale('zh-CN');
    expect(failed(replyGone)).toBe('所回复的消息已被撤回或已不存在。');
    expect(failed({ code: 'rate_limited', message: 'Too many requests' })).toBe('请求过于频繁，请稍后再试。');
    expect(failed()).toBe('未送达');
  });
});

describe('buildTimeline with a cache', () => {
  afterEach(() => loadLocale('en'));

  const held = () => [
    message(1, { author: ALICE, body: 'a1', createdAt: at(10, 9, 0) }),
    message(2, { author: ALICE, body: 'a2', createdAt: at(10, 9, 1) }),
    message(3, { author: BOB, body: 'b1', createdAt: at(10, 9, 2) }),
    message(4, { author: BOB, body: 'b2', createdAt: at(10, 9, 3) }),
  ];

  it('keeps the row of every unchanged message the same object, continuations included, and rebuilds a changed one', () => {
    const cache = createTimelineCache();
    const messages = held();
    const first = rows(buildTimeline(messages, [], ALICE, now, { cache }));
    // Bob's first message is removed: a new object (as applyStates makes it), after it a new group.
    const removed = [...messages.slice(0, 2), { ...messages[2]!, body: '', recalledAt: at(10, 10), removedByModerator: true as const }, messages[3]!];
    const second = rows(buildTimeline(removed, [], ALICE, now, { cache }));
    expect(shape(buildTimeline(removed, [], ALICE, now, { cache }))).toEqual(['day:Today', 'a1 *', 'a2', ' *', 'b2 *']);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).not.toBe(first[2]);
    expect(second[2]).toMatchObject({ isRemoved: true, isRecalled: true });
    // Regrouped: b2 now starts its group, a row of its own that stays put from then on.
    expect(first[3]!.isGroupStart).toBe(false);
    expect(second[3]!.isGroupStart).toBe(true);
    expect(rows(buildTimeline(removed, [], ALICE, now, { cache }))[3]).toBe(second[3]);
    // Without a cache every build makes new rows, as before.
    expect(rows(buildTimeline(messages, [], ALICE, now))[0]).not.toBe(first[0]);
  });

  it('builds every row again for another reader or another language', async () => {
    const cache = createTimelineCache();
    const messages = held();
    const asAlice = rows(buildTimeline(messages, [], ALICE, now, { cache }));
    const asBob = rows(buildTimeline(messages, [], BOB, now, { cache }));
    expect(asBob[0]).not.toBe(asAlice[0]);
    expect(asBob.map((r) => r.isOwn)).toEqual([false, false, true, true]);
    await loadLocale('zh-CN');
    expect(rows(buildTimeline(messages, [], BOB, now, { cache }))[0]).not.toBe(asBob[0]);
  });

  it('marks an author deactivated as live changes say, over what the message said, and rebuilds held rows when they move', () => {
    const cache = createTimelineCache();
    const messages = [message(1, { author: { ...BOB, deactivated: true } }), message(2, { author: ALICE })];
    const heard = new Map<string, boolean>();
    const build = (revision: number) =>
      rows(buildTimeline(messages, [], ALICE, now, { cache, accountsRevision: revision, isAuthorDeactivated: (id, fromDto) => heard.get(id) ?? fromDto }));
    expect(build(0).map((r) => r.isAuthorDeactivated)).toEqual([true, false]);
    heard.set(BOB.id, false);
    heard.set(ALICE.id, true);
    expect(build(1).map((r) => r.isAuthorDeactivated)).toEqual([false, true]);
    // Without the option, what the message says.
    expect(rows(buildTimeline(messages, [], ALICE, now)).map((r) => r.isAuthorDeactivated)).toEqual([true, false]);
  });
});
