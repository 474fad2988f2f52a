import type { MessageDto } from '@confab/shared';
import type { OutboxItem } from '../lib/messages';

export const ALICE = { id: 'a'.repeat(24), name: 'Alice Archer' };
export const BOB = { id: 'b'.repeat(24), name: 'Bob Baker' };

/** A stored lobby message with seq `seq`; ids and clientIds derive from it unless overridden. */
export function message(seq: number, overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: seq.toString(16).padStart(24, '0'),
    roomId: 'lobby',
    seq,
    clientId: `c${seq}`,
    author: BOB,
    body: `message ${seq}`,
    createdAt: new Date(Date.UTC(2026, 2, 1, 12, 0, seq)).toISOString(),
    ...overrides,
  };
}

export function outboxItem(clientId: string, overrides: Partial<OutboxItem> = {}): OutboxItem {
  return { clientId, body: `draft ${clientId}`, createdAt: new Date(Date.UTC(2026, 2, 1, 13)).toISOString(), status: 'pending', ...overrides };
}
