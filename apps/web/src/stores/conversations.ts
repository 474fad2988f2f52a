import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationDto, ReadMarkDto } from '@confab/shared';
import { clientError } from '../i18n/errors';
import { applyDeliveredMark, applyReadMark, mergeConversation, sortConversations, totalUnread as sumUnread } from '../lib/conversations';
import type { AsyncStatus } from '../lib/roomMessages';
import { fetchConversations, openDm } from '../services/dm';
import type { Result } from '../services/request';
import { useSessionStore } from './session';

/** Safety net for `refresh`: a server that kept handing out cursors must not keep us paging forever. */
const MAX_PAGES = 100;

/** Every DM conversation this tab knows of, keyed by room id, and the sidebar's list of them. */
export const useConversationsStore = defineStore('conversations', () => {
  /** Listed conversations plus ones opened here before anyone wrote (those stay off the list). */
  const byRoomId = ref<Record<string, ConversationDto>>({});
  const loadStatus = ref<AsyncStatus>('idle');

  const list = computed(() => sortConversations(Object.values(byRoomId.value)));
  const totalUnread = computed(() => sumUnread(list.value));

  // Bumped by reset(): answers to requests made for a previous user are dropped.
  let generation = 0;

  /** Takes a snapshot from the server: replaces the entry unless it is older than the one held. */
  function upsert(conversation: ConversationDto): void {
    const current = byRoomId.value[conversation.roomId];
    const next = mergeConversation(current, conversation);
    if (next !== current) byRoomId.value = { ...byRoomId.value, [conversation.roomId]: next };
  }

  function applyWith(mark: ReadMarkDto, apply: typeof applyReadMark): void {
    const current = byRoomId.value[mark.roomId];
    const myId = useSessionStore().user?.id;
    if (!current || !myId) return;
    const next = apply(current, mark, myId);
    if (next !== current) byRoomId.value = { ...byRoomId.value, [mark.roomId]: next };
  }

  /** A `dm:read` mark: ours clears unread, the peer's moves "Seen". */
  const applyMark = (mark: ReadMarkDto) => applyWith(mark, applyReadMark);
  /** A `dm:delivered` mark: the peer's moves "Delivered". */
  const applyDelivered = (mark: ReadMarkDto) => applyWith(mark, applyDeliveredMark);

  /** Fetches the whole list, page by page (after every connect: updates may have been missed). */
  async function refresh(): Promise<boolean> {
    const gen = generation;
    loadStatus.value = 'loading';
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const res = await fetchConversations(cursor ? { cursor } : {});
      if (gen !== generation) return false;
      if (!res.ok) {
        loadStatus.value = 'error';
        return false;
      }
      for (const conversation of res.data.conversations) upsert(conversation);
      cursor = res.data.nextCursor;
      if (!cursor) break;
    }
    loadStatus.value = 'done';
    return true;
  }

  /** The conversation with `username`, known here or asked of the server (it may have no messages yet). */
  function findByUsername(username: string): ConversationDto | undefined {
    const wanted = username.toLowerCase();
    return Object.values(byRoomId.value).find((c) => c.peer.username.toLowerCase() === wanted);
  }

  async function open(username: string): Promise<Result<ConversationDto>> {
    const gen = generation;
    const res = await openDm({ username });
    if (gen !== generation) return { ok: false, error: clientError('disconnected', 'app.session.signedOutMeanwhile') };
    if (res.ok) upsert(res.data);
    return res;
  }

  function reset(): void {
    generation += 1;
    byRoomId.value = {};
    loadStatus.value = 'idle';
  }

  return { byRoomId, loadStatus, list, totalUnread, upsert, applyMark, applyDelivered, refresh, findByUsername, open, reset };
});
