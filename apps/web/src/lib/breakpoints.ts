/**
 * Below this width the sidebar does not fit beside the room (248 px of sidebar leaves a room
 * narrower than a phone held sideways): it becomes a drawer. CSS cannot import this number, so
 * every `@media (width < 768px)` in the layout and chat components names this file beside it.
 */
export const DRAWER_BREAKPOINT_PX = 768;

/** Matches while the sidebar is a drawer. */
export const DRAWER_QUERY = `(width < ${DRAWER_BREAKPOINT_PX}px)`;

/**
 * A touch screen is the main pointer (a phone, a tablet): no hover, fingers need 44 px targets,
 * and the on-screen keyboard's Enter is for new lines.
 */
export const TOUCH_QUERY = '(pointer: coarse)';
