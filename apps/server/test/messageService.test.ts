import { describe, expect, it } from 'vitest';
import { createMessageService } from '../src/services/messageService.js';
import { createMemoryStores } from '../src/store/memory/index.js';
import type { Stores } from '../src/store/ports.js';

const pick = (stores: Stores) => ({ messages: stores.messages, reactions: stores.reactions });

const alice = { id: 'a'.repeat(24), username: 'alice', displayName: 'Alice' };

describe('the message service', () => {
  it('stamps messages with the injected clock and the author\'s display name', async () => {
    const now = new Date('2026-05-05T05:05:05.000Z');
    const service = createMessageService({ ...pick(createMemoryStores()), now: () => now, recallWindowMs: 120_000 });
    const res = await service.send(alice, 'lobby', { clientId: 'c', body: 'hi' });
    expect(res).toEqual({
      ok: true,
      data: { isNew: true, message: expect.objectContaining({ createdAt: now.toISOString(), author: { id: alice.id, name: 'Alice' }, seq: 1 }) },
    });
  });

  it('marks a retry as not new, so the caller broadcasts nothing', async () => {
    const service = createMessageService({ ...pick(createMemoryStores()), now: () => new Date(), recallWindowMs: 120_000 });
    const first = await service.send(alice, 'lobby', { clientId: 'c', body: 'hi' });
    const retry = await service.send(alice, 'lobby', { clientId: 'c', body: 'hi' });
    expect(retry.ok && retry.data.isNew).toBe(false);
    expect(retry.ok && first.ok && retry.data.message).toEqual(first.ok && first.data.message);
  });

  it('sync pages are capped at the shared limit', async () => {
    const stores = createMemoryStores();
    const service = createMessageService({ ...pick(stores), now: () => new Date(), recallWindowMs: 120_000 });
    for (let i = 0; i < 205; i += 1) await service.send(alice, 'lobby', { clientId: `c${i}`, body: `m${i}` });
    const page = await service.sync('lobby', { afterSeq: 0 });
    expect(page.ok && page.data.messages).toHaveLength(200);
    expect(page.ok && page.data.hasMore).toBe(true);
  });
});
