export interface SwipePoint {
  x: number;
  y: number;
}

export type SwipeDirection = 'left' | 'right';

/** Less travel than this is a tap or a wobble, not a swipe. */
export const SWIPE_MIN_DISTANCE_PX = 48;

/**
 * Where a swipe that opens the drawer starts: a strip along the left edge, as wide as the area
 * Android and iOS give their own edge gestures (about 20 px), so that a swipe across a message
 * (to scroll a code block, say) does not open it.
 */
export const EDGE_ZONE_PX = 24;

/**
 * A finger's move from `start` to `end` as a horizontal swipe, or null: it must travel far
 * enough, and at least twice as far sideways as up or down (otherwise it was a scroll).
 */
export function swipeDirection(start: SwipePoint, end: SwipePoint): SwipeDirection | null {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  if (Math.abs(dx) < SWIPE_MIN_DISTANCE_PX || Math.abs(dx) < 2 * Math.abs(dy)) return null;
  return dx > 0 ? 'right' : 'left';
}
