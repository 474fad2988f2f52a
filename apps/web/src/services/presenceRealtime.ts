import { LIMITS, type PresenceDto, type PresenceSnapshotMeta } from '@confab/shared';
import { usePresenceStore } from '../stores/presence';
import { reportActive } from './lobby';
import { lobbySocket } from './socket';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'focus'] as const;

/**
 * Maps `/lobby` presence events to the presence store, and reports this user's activity: an
 * interaction with a visible tab sends `presence:active`, at most every
 * `LIMITS.presenceActiveThrottleMs`. Connecting counts as activity on the server, so it restarts
 * the throttle. From a disconnect until the next snapshot, presence shows as unknown: what the
 * tab holds may be stale by then. Returns a function that undoes it all.
 */
export function bindPresence(now: () => number = Date.now): () => void {
  const presence = usePresenceStore();
  let lastReportAt = -Infinity;

  function onActivity(): void {
    if (document.visibilityState !== 'visible' || !lobbySocket.connected) return;
    const at = now();
    if (at - lastReportAt < LIMITS.presenceActiveThrottleMs) return;
    lastReportAt = at;
    void reportActive();
  }

  const onConnect = () => (lastReportAt = now());
  const onDisconnect = () => presence.markUnknown();
  const onSnapshot = (snapshot: PresenceDto[], meta?: PresenceSnapshotMeta) => presence.applySnapshot(snapshot, meta?.rev ?? 0);
  const onChanges = (changes: PresenceDto[]) => presence.applyUpdates(changes);
  const onVisibility = () => {
    if (document.visibilityState === 'visible') onActivity();
  };

  lobbySocket.on('connect', onConnect);
  lobbySocket.on('disconnect', onDisconnect);
  lobbySocket.on('presence:snapshot', onSnapshot);
  lobbySocket.on('presence:changes', onChanges);
  for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true });
  document.addEventListener('visibilitychange', onVisibility);

  return () => {
    lobbySocket.off('connect', onConnect);
    lobbySocket.off('disconnect', onDisconnect);
    lobbySocket.off('presence:snapshot', onSnapshot);
    lobbySocket.off('presence:changes', onChanges);
    for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
