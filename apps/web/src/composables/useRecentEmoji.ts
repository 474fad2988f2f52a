import { computed, ref } from 'vue';
import { reactionEmojiSchema } from '@confab/shared';
import { localStore, readJson, writeJson } from '../lib/localStore';
import { useSessionStore } from '../stores/session';

/** How many quick picks the reaction menu offers. */
export const RECENT_EMOJI_COUNT = 6;
/** Offered until the user has reacted with six of their own. */
export const DEFAULT_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '🙏'] as const;
const PREFIX = 'confab:recent-emoji:';

// One list per tab, shared by every message list, so a pick shows at once everywhere.
const used = ref<Record<string, string[]>>({});

function load(userId: string): string[] {
  if (!used.value[userId]) {
    const storage = localStore();
    const kept = storage ? readJson(storage, PREFIX + userId) : null;
    const valid = Array.isArray(kept) ? kept.filter((e): e is string => typeof e === 'string' && reactionEmojiSchema.safeParse(e).success) : [];
    used.value = { ...used.value, [userId]: valid.slice(0, RECENT_EMOJI_COUNT) };
  }
  return used.value[userId]!;
}

/**
 * The signed-in user's six most recently used reaction emoji, newest first, kept in this
 * browser, topped up with common ones until they have used six.
 */
export function useRecentEmoji() {
  const session = useSessionStore();

  const list = computed(() => {
    const userId = session.user?.id;
    const mine = userId ? load(userId) : [];
    return [...mine, ...DEFAULT_EMOJI.filter((e) => !mine.includes(e))].slice(0, RECENT_EMOJI_COUNT);
  });

  function use(emoji: string): void {
    const userId = session.user?.id;
    if (!userId) return;
    const next = [emoji, ...load(userId).filter((e) => e !== emoji)].slice(0, RECENT_EMOJI_COUNT);
    used.value = { ...used.value, [userId]: next };
    const storage = localStore();
    if (storage) writeJson(storage, PREFIX + userId, next);
  }

  return { list, use };
}
