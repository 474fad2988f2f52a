import { computed, onBeforeUnmount, reactive, ref, shallowRef, watch } from 'vue';
import type { MemberRole, RoomKind, UserRole } from '@confab/shared';
import { errorText } from '../i18n/errors';
import type { RoomMessages } from '../lib/roomMessages';
import type { TimelineMessage } from '../lib/timeline';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';

/** How long "Reported to the administrators" stays under a message. */
export const REPORTED_NOTE_MS = 8_000;

/** Who the reader is, as far as moderating a room goes. */
export interface ModerationRole {
  /** The reader's server-wide role (absent: a member). */
  userRole: UserRole | undefined;
  /** The room's kind and the reader's role in it, when the room list has it; null otherwise. */
  room: { kind: RoomKind; myRole: MemberRole } | null;
  /** False for a public channel the reader only previews (not a member): the server takes no report from there. */
  isMember?: boolean;
}

/**
 * Whether the reader may remove others' messages here: an admin anywhere, a channel's owner in
 * their channel (the server checks again, and refuses with `forbidden`).
 */
export function isModeratorHere(role: ModerationRole): boolean {
  if (role.userRole === 'admin') return true;
  const kind = role.room?.kind;
  return role.room?.myRole === 'owner' && (kind === 'public_channel' || kind === 'private_channel');
}

/** A stored message still shown with its text (not pending, failed, recalled or removed). */
function isLive(entry: TimelineMessage): boolean {
  return entry.status === 'sent' && !!entry.id && !entry.isRecalled;
}

/** Any member may report someone else's message; never their own. */
export function canReport(entry: TimelineMessage, role: Pick<ModerationRole, 'isMember'> = {}): boolean {
  return isLive(entry) && !entry.isOwn && role.isMember !== false;
}

/** A moderator may remove any message that still shows, their own included, at any time. */
export function canRemove(entry: TimelineMessage, role: ModerationRole): boolean {
  return isLive(entry) && isModeratorHere(role);
}

/**
 * Reporting a message to the admins and removing one as a moderator, for one message list: which
 * messages offer which, the dialog open for one message at a time, and what happened (a short
 * note under the reported message; a refusal shown in the dialog, which stays open).
 */
export function useModerationActions(room: () => RoomMessages) {
  const session = useSessionStore();
  const rooms = useRoomsStore();
  const summary = () => rooms.byId[room().roomId ?? ''];
  const readRole = (): ModerationRole => {
    const roomId = room().roomId ?? '';
    const held = summary();
    // Channels the reader is in are in the room list; the lobby, DMs and groups they are in by being shown them.
    const isMember = !!held || !roomId.startsWith('c:');
    return { userRole: session.user?.role, room: held ? { kind: held.room.kind, myRole: held.room.myRole } : null, isMember };
  };
  // Every row of the list reads it. The room's summary is replaced by every entry (its last seq,
  // its unread count): a role derived from it directly would make every row check itself again
  // after every entry of a burst. It is replaced only when what it says changes.
  const role = shallowRef(readRole());
  watch(
    [() => room().roomId, () => session.user?.role, () => summary()?.room.kind, () => summary()?.room.myRole, () => !!summary()],
    () => (role.value = readRole()),
    { flush: 'sync' },
  );

  /** The message whose dialog is open, and which dialog. */
  const target = shallowRef<{ entry: TimelineMessage; kind: 'report' | 'remove' } | null>(null);
  const isBusy = ref(false);
  // Each as a function that words it: the text follows a change of language.
  const failure = shallowRef<(() => string) | null>(null);
  /** Message ids reported from here lately: "Reported to the administrators" shows under them. */
  const reported = ref<ReadonlySet<string>>(new Set());
  const timers = new Set<ReturnType<typeof setTimeout>>();
  onBeforeUnmount(() => timers.forEach(clearTimeout));

  // Another room: a dialog opened for a message of the previous one closes.
  watch(
    () => room().roomId,
    () => close(),
  );

  function open(entry: TimelineMessage, kind: 'report' | 'remove'): void {
    const isAllowed = kind === 'report' ? canReport(entry, role.value) : canRemove(entry, role.value);
    if (!isAllowed || isBusy.value) return;
    failure.value = null;
    target.value = { entry, kind };
  }

  /** Closes the dialog; an answer still on its way then changes nothing shown. */
  function close(): void {
    target.value = null;
    failure.value = null;
  }

  function noteReported(id: string): void {
    reported.value = new Set([...reported.value, id]);
    const timer = setTimeout(() => {
      timers.delete(timer);
      reported.value = new Set([...reported.value].filter((r) => r !== id));
    }, REPORTED_NOTE_MS);
    timers.add(timer);
  }

  async function run(kind: 'report' | 'remove', reason = ''): Promise<boolean> {
    const current = target.value;
    const id = current?.entry.id;
    if (!current || current.kind !== kind || !id || isBusy.value) return false;
    const holder = room();
    isBusy.value = true;
    failure.value = null;
    const res = kind === 'report' ? await holder.report(id, reason) : await holder.remove(id);
    isBusy.value = false;
    // The reader moved on meanwhile (another room, the dialog closed): nothing left to show.
    if (target.value !== current) return res.ok;
    if (!res.ok) {
      const { error } = res;
      failure.value = () => errorText(error);
      return false;
    }
    // A repeated report acks null as the first did: the reader is told the same.
    if (kind === 'report') noteReported(id);
    target.value = null;
    return true;
  }

  return reactive({
    role,
    target,
    isBusy,
    failureText: computed(() => failure.value?.() ?? null),
    canReport: (entry: TimelineMessage) => canReport(entry, role.value),
    canRemove: (entry: TimelineMessage) => canRemove(entry, role.value),
    isReported: (entry: TimelineMessage) => !!entry.id && reported.value.has(entry.id),
    openReport: (entry: TimelineMessage) => open(entry, 'report'),
    openRemove: (entry: TimelineMessage) => open(entry, 'remove'),
    close,
    report: (reason: string) => run('report', reason),
    remove: () => run('remove'),
  });
}

export type ModerationActions = ReturnType<typeof useModerationActions>;
