import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ReadMarkDto } from '@confab/shared';
import type { AsyncStatus } from '../lib/roomMessages';
import { fetchAllMembers, fetchRoomReads } from '../services/receipts';

export interface RoomReads {
  /** Each member's read mark by user id (only members who have read anything). */
  marks: Readonly<Record<string, number>>;
  /** Members' names by user id, when asked for (private channels; groups carry theirs in RoomDto.members). */
  names: Readonly<Record<string, string>>;
  status: AsyncStatus;
}

const EMPTY: RoomReads = { marks: {}, names: {}, status: 'idle' };

/**
 * Every member's read mark in the groups and private channels opened here ("seen by"): fetched
 * with `room:reads` when one is opened (and again after every reconnect, since marks that moved
 * meanwhile were missed), and kept live from the `dm:read` every member hears.
 */
export const useRoomReadsStore = defineStore('roomReads', () => {
  const byRoomId = ref<Readonly<Record<string, RoomReads>>>({});
  // Rooms asked for with names, so that a refresh asks for them again.
  const withNames = new Set<string>();
  // Bumped by reset(): answers to requests made for a previous user are dropped.
  let generation = 0;

  function put(roomId: string, change: Partial<RoomReads>): void {
    byRoomId.value = { ...byRoomId.value, [roomId]: { ...(byRoomId.value[roomId] ?? EMPTY), ...change } };
  }

  /** Fetches a room's marks (and its members' names if `names`); marks that arrived meanwhile are kept if higher. */
  async function load(roomId: string, options: { names: boolean }): Promise<void> {
    const gen = generation;
    if (options.names) withNames.add(roomId);
    put(roomId, { status: 'loading' });
    const [reads, members] = await Promise.all([fetchRoomReads(roomId), options.names ? fetchAllMembers(roomId) : null]);
    if (gen !== generation || !byRoomId.value[roomId]) return;
    if (!reads.ok) {
      put(roomId, { status: 'error' });
      return;
    }
    const marks = { ...byRoomId.value[roomId]!.marks };
    for (const mark of reads.data.marks) marks[mark.userId] = Math.max(marks[mark.userId] ?? 0, mark.seq);
    const names = members?.ok ? Object.fromEntries(members.data.map((m) => [m.user.id, m.user.displayName])) : byRoomId.value[roomId]!.names;
    put(roomId, { marks, names, status: 'done' });
  }

  /** A member's mark moved (`dm:read`); only rooms held here are kept. Never moves back. */
  function applyMark(mark: ReadMarkDto): void {
    const held = byRoomId.value[mark.roomId];
    if (!held || (held.marks[mark.userId] ?? 0) >= mark.seq) return;
    put(mark.roomId, { marks: { ...held.marks, [mark.userId]: mark.seq } });
  }

  /** After a reconnect: every room held is fetched again. */
  async function refresh(): Promise<void> {
    await Promise.all(Object.keys(byRoomId.value).map((roomId) => load(roomId, { names: withNames.has(roomId) })));
  }

  function forget(roomId: string): void {
    withNames.delete(roomId);
    if (!byRoomId.value[roomId]) return;
    const { [roomId]: _gone, ...rest } = byRoomId.value;
    byRoomId.value = rest;
  }

  function reset(): void {
    generation += 1;
    withNames.clear();
    byRoomId.value = {};
  }

  return { byRoomId, load, applyMark, refresh, forget, reset };
});
