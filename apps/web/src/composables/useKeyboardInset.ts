import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/**
 * How much of the layout viewport's bottom the on-screen keyboard covers. Chrome on Android
 * resizes the page for the keyboard (index.html asks for `interactive-widget=resizes-content`),
 * which leaves nothing covered; Safari on iOS does not: it only shrinks the visual viewport and
 * pans it, and the part of the page under the keyboard is this.
 */
export function keyboardInset(layoutHeight: number, visual: { height: number; offsetTop: number }): number {
  return Math.max(0, Math.round(layoutHeight - visual.height - visual.offsetTop));
}

/** The keyboard's cover in px, live: the shell lifts the room (and its composer) above it. */
export function useKeyboardInset(): Readonly<Ref<number>> {
  const inset = ref(0);
  const viewport = typeof window === 'undefined' ? null : window.visualViewport;
  const update = () => {
    // Pinch-zoom shrinks the visual viewport too: only a keyboard does it at scale 1.
    inset.value = viewport && Math.abs(viewport.scale - 1) < 0.01 ? keyboardInset(document.documentElement.clientHeight, viewport) : 0;
  };
  onMounted(() => {
    viewport?.addEventListener('resize', update);
    viewport?.addEventListener('scroll', update);
    update();
  });
  onBeforeUnmount(() => {
    viewport?.removeEventListener('resize', update);
    viewport?.removeEventListener('scroll', update);
  });
  return inset;
}
