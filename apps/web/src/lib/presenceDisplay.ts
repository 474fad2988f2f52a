import type { PresenceDto } from '@confab/shared';
import { currentLocale, t } from '../i18n';
import { formatRelative } from './format';
import type { PresenceMap, PresenceState, ShownPresenceState } from './presence';

// Presence as the reader sees it: in words and in order, in the language on screen. The merging
// rules stay in presence.ts, free of the interface (the server's tests share them).

const ORDER: Record<PresenceState, number> = { online: 0, away: 1, offline: 2 };

/**
 * Online then away, each by name; offline users are left out. Not `isKnown` (the tab is not
 * hearing presence live): the same people, as `unknown`.
 */
export function connectedUsers(
  presence: PresenceMap,
  names: Readonly<Record<string, string>>,
  isKnown = true,
): { userId: string; name: string; state: ShownPresenceState }[] {
  // The reader's language's order, one collator per sort rather than per comparison.
  const byName = new Intl.Collator(currentLocale()).compare;
  return Object.values(presence)
    .filter((p) => p.state !== 'offline')
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || byName(names[a.userId] ?? '', names[b.userId] ?? ''))
    .map((p) => ({ userId: p.userId, name: names[p.userId] ?? '', state: isKnown ? p.state : 'unknown' }));
}

/** A state as words: "online", "away", "offline". */
export function presenceStateText(state: PresenceState): string {
  return state === 'online' ? t('user.presence.online') : state === 'away' ? t('user.presence.away') : t('user.presence.offline');
}

/**
 * What the DM header says about the peer: "online", "away", "last seen 5 minutes ago" (in
 * Chinese "5分钟前在线"), or "offline"; nothing while presence is not `isKnown`.
 */
export function presenceLabel(presence: PresenceDto | undefined, now: Date, isKnown = true): string {
  if (!presence || !isKnown) return '';
  if (presence.state !== 'offline' || !presence.lastSeenAt) return presenceStateText(presence.state);
  return t('user.presence.lastSeen', { when: formatRelative(Date.parse(presence.lastSeenAt), now.getTime()) });
}
