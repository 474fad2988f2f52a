import { ref } from 'vue';

// One drawer per tab: the shell shows it, every view's header opens it.
const isOpen = ref(false);

/**
 * The sidebar as a drawer on narrow screens (at most 720 px wide, where it does not fit beside
 * the room): opened from the header's menu button, closed by a choice, the backdrop or Escape.
 */
export function useSidebarDrawer() {
  return {
    isOpen,
    open: () => (isOpen.value = true),
    close: () => (isOpen.value = false),
  };
}
