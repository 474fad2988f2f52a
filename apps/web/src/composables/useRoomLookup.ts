import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import { channelNameKey, type ChannelListingDto, type RoomSummaryDto } from '@confab/shared';
import { errorText, type ShownError } from '../i18n/errors';
import { browseChannels } from '../services/rooms';
import { useRoomMessagesStore } from '../stores/roomMessages';
import { useRoomsStore } from '../stores/rooms';

/** What a room address names: a channel by name (`/c/:name`) or a group by id (`/g/:roomId`). */
export type RoomAddress = { kind: 'channel'; name: string } | { kind: 'group'; roomId: string };

/** `member`: in the room list; `preview`: a public channel not joined; `not_found` also for rooms one may not see. */
export type RoomLookupState = 'loading' | 'member' | 'preview' | 'not_found' | 'error';

/**
 * The room the room view shows, found from its address: in the room list (by name,
 * case-insensitively, for channels), else for a channel among the public ones (`channel:browse`)
 * to preview. Private rooms one is not in are "not found", exactly like rooms that do not exist.
 * Waits for the list after a reload, and follows joins and removals as they happen.
 */
export function useRoomLookup(address: Ref<RoomAddress>) {
  const rooms = useRoomsStore();
  const roomMessages = useRoomMessagesStore();
  const listing = shallowRef<ChannelListingDto | null>(null);
  const previewState = ref<'idle' | 'loading' | 'none' | 'error'>('idle');
  const error = shallowRef<ShownError | null>(null);
  const errorMessage = computed(() => (error.value ? errorText(error.value) : null));
  let request = 0;
  // The channel found by name, followed by id from then on: a rename must not lose it.
  const pinnedId = ref<string | null>(null);

  const summary = computed<RoomSummaryDto | undefined>(() => {
    const at = address.value;
    if (at.kind === 'group') return rooms.byId[at.roomId];
    return rooms.findChannel(at.name) ?? (pinnedId.value ? rooms.byId[pinnedId.value] : undefined);
  });
  watch(summary, (found) => {
    if (found) pinnedId.value = found.room.id;
  });
  const addressKey = () => (address.value.kind === 'channel' ? channelNameKey(address.value.name) : address.value.roomId);
  const roomId = computed(() => summary.value?.room.id ?? listing.value?.id ?? null);

  const state = computed<RoomLookupState>(() => {
    if (summary.value) return 'member';
    if (listing.value) return 'preview';
    if (!rooms.isFresh && rooms.loadStatus !== 'done') return 'loading';
    if (address.value.kind === 'group') return 'not_found';
    if (previewState.value === 'none') return 'not_found';
    if (previewState.value === 'error') return 'error';
    return 'loading';
  });

  /** Looks the channel up among the public ones, for a preview. */
  async function findPublic(name: string): Promise<void> {
    const current = ++request;
    previewState.value = 'loading';
    const res = await browseChannels({ query: name, limit: 10 });
    if (current !== request) return;
    if (!res.ok) {
      // Offline: the watcher asks again once connected.
      previewState.value = res.error.code === 'disconnected' ? 'idle' : 'error';
      error.value = res.error;
      return;
    }
    const key = channelNameKey(name);
    const found = res.data.channels.find((c) => channelNameKey(c.name) === key);
    listing.value = found ?? null;
    previewState.value = found ? 'idle' : 'none';
  }

  watch(
    [addressKey, () => !!summary.value, () => rooms.isFresh, () => roomMessages.connected.dm],
    ([key, isMember, isFresh, isConnected], previous) => {
      if (!previous || previous[0] !== key) {
        request += 1;
        listing.value = null;
        previewState.value = 'idle';
        // Another room, unless the address only followed the pinned channel's new name.
        const pinned = pinnedId.value ? rooms.byId[pinnedId.value] : undefined;
        if (!pinned || channelNameKey(pinned.room.name ?? '') !== key) pinnedId.value = null;
      }
      // A member has no preview; once they leave, the view moves away (it does not fall back to one).
      if (isMember) {
        listing.value = null;
        return;
      }
      const at = address.value;
      if (at.kind === 'channel' && isFresh && isConnected && previewState.value === 'idle' && !listing.value) void findPublic(at.name);
    },
    { immediate: true },
  );

  return { state, roomId, summary, listing, errorMessage, retry: () => (address.value.kind === 'channel' ? findPublic(address.value.name) : undefined) };
}
