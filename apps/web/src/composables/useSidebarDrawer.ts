import { ref } from 'vue';

// One drawer per tab: the shell shows it, every view's header opens it.
const isOpen = ref(false);

/**
 * The sidebar as a drawer on narrow screens (below DRAWER_BREAKPOINT_PX, where it does not fit
 * beside the room): opened from the header's menu button or by a swipe from the left edge; closed
 * by a choice, the backdrop, Escape or a swipe to the left (see LayoutShell).
 */
export function useSidebarDrawer() {
  return {
    isOpen,
    open: () => (isOpen.value = true),
    close: () => (isOpen.value = false),
  };
}
