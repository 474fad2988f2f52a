import { onBeforeUnmount, onMounted, readonly, ref, type Ref } from 'vue';

/** Whether `query` matches, kept up to date while the component is mounted. */
export function useMediaQuery(query: string): Readonly<Ref<boolean>> {
  const list = typeof matchMedia === 'undefined' ? null : matchMedia(query);
  const matches = ref(list?.matches ?? false);
  const onChange = () => (matches.value = list?.matches ?? false);
  onMounted(() => {
    list?.addEventListener('change', onChange);
    onChange();
  });
  onBeforeUnmount(() => list?.removeEventListener('change', onChange));
  return readonly(matches);
}
