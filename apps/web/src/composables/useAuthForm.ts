import { computed, reactive, ref, watch } from 'vue';
import { ApiError } from '../services/http';
import { fieldErrors, placeServerError, type ParseResult } from '../lib/formErrors';

/**
 * State of a sign-in or sign-up form: schema errors show once a field was left or a submit was
 * tried; server errors land on the field they name (or above the form) until the user edits.
 */
export function useAuthForm<F extends string>(values: Record<F, string>, fields: readonly F[], check: () => ParseResult) {
  const status = ref<'idle' | 'submitting' | 'error'>('idle');
  const touched = reactive(new Set<string>());
  const hasTriedSubmit = ref(false);
  const serverErrors = ref<Record<string, string>>({});
  const formError = ref<string | null>(null);

  const schemaErrors = computed(() => fieldErrors(check()));
  const errors = computed(() => {
    const shown: Partial<Record<F, string>> = {};
    for (const field of fields) {
      const isShown = hasTriedSubmit.value || touched.has(field);
      shown[field] = serverErrors.value[field] ?? (isShown ? schemaErrors.value[field] : undefined);
    }
    return shown;
  });

  watch(values, () => {
    serverErrors.value = {};
    formError.value = null;
  });

  function touch(field: F): void {
    if (values[field] !== '') touched.add(field);
  }

  async function submit(run: () => Promise<void>): Promise<boolean> {
    hasTriedSubmit.value = true;
    formError.value = null;
    if (Object.keys(schemaErrors.value).length > 0 || status.value === 'submitting') return false;
    status.value = 'submitting';
    try {
      await run();
      status.value = 'idle';
      return true;
    } catch (err) {
      status.value = 'error';
      const error = err instanceof ApiError ? err.error : { code: 'internal' as const, message: 'Something went wrong. Try again.' };
      const placed = placeServerError(error, fields);
      if (placed.field) serverErrors.value = { [placed.field]: placed.message };
      else formError.value = placed.message;
      return false;
    }
  }

  return { status, errors, formError, touch, submit };
}
