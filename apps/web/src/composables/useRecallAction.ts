import { onBeforeUnmount, ref, type Ref } from 'vue';
import { errorText, type ShownError } from '../i18n/errors';
import type { RoomMessages } from '../lib/roomMessages';
import type { TimelineMessage } from '../lib/timeline';
import { useSettingsStore } from '../stores/settings';

/** How long a recall error stays under its message. */
export const RECALL_ERROR_MS = 5_000;

/**
 * The "Recall" action of a message list: which own messages may still be recalled (and until
 * when), sending the recall, and a short-lived error per message when the server refuses.
 */
export function useRecallAction(room: () => RoomMessages, now: Ref<Date>) {
  // `now` must be the server's time (useNow), like the window it is compared with.
  const settings = useSettingsStore();
  const busy = ref<ReadonlySet<string>>(new Set());
  // Kept as the error, not its text: the text follows a change of language.
  const errors = ref<Readonly<Record<string, ShownError>>>({});
  const timers = new Set<ReturnType<typeof setTimeout>>();
  onBeforeUnmount(() => timers.forEach(clearTimeout));

  /** Epoch ms on the server's clock when the window closes, or null when this entry offers no recall. */
  function deadline(entry: TimelineMessage): number | null {
    const windowMs = settings.settings?.recallWindowMs;
    if (!windowMs || !entry.isOwn || entry.isRecalled || entry.status !== 'sent' || !entry.id) return null;
    const end = new Date(entry.createdAt).getTime() + windowMs;
    // `now` ticks once a minute; the button itself counts down the last minute by the second.
    return end > now.value.getTime() - 60_000 ? end : null;
  }

  function showError(id: string, error: ShownError): void {
    errors.value = { ...errors.value, [id]: error };
    const timer = setTimeout(() => {
      timers.delete(timer);
      const { [id]: _, ...rest } = errors.value;
      errors.value = rest;
    }, RECALL_ERROR_MS);
    timers.add(timer);
  }

  async function run(entry: TimelineMessage): Promise<void> {
    const id = entry.id;
    if (!id || busy.value.has(id)) return;
    busy.value = new Set([...busy.value, id]);
    const res = await room().recall(id);
    busy.value = new Set([...busy.value].filter((b) => b !== id));
    if (!res.ok) showError(id, res.error);
  }

  return {
    deadline,
    run,
    isBusy: (entry: TimelineMessage) => !!entry.id && busy.value.has(entry.id),
    errorFor: (entry: TimelineMessage) => {
      const error = entry.id ? errors.value[entry.id] : undefined;
      return error ? errorText(error) : null;
    },
  };
}
