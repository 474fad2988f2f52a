import { computed, reactive, ref, watch } from 'vue';
import type { AckError, ErrorCode } from '@confab/shared';
import { t, type MessageKey } from '../i18n';
import { ApiError } from '../services/http';
import { fieldErrors, placeServerError, type ParseResult } from '../lib/formErrors';

/**
 * State of a sign-in or sign-up form: schema errors show once a field was left or a submit was
 * tried; server errors land on the field they name (or above the form) until the user edits.
 * `wordings`: refusals the form words itself, above the form, in every language (the server's
 * English message says less than the app should, e.g. whom to ask).
 */
export function useAuthForm<F extends string>(values: Record<F, string>, fields: readonly F[], check: () => ParseResult, wordings: Partial<Record<ErrorCode, MessageKey>> = {}) {
  const status = ref<'idle' | 'submitting' | 'error'>('idle');
  const touched = reactive(new Set<string>());
  const hasTriedSubmit = ref(false);
  // What the last submit failed with ('unexpected': not the server's answer); worded when shown, so it follows a change of language.
  const failure = ref<AckError | 'unexpected' | null>(null);
  const placed = computed(() => {
    if (failure.value === null) return null;
    if (failure.value === 'unexpected') return { field: null, message: t('app.form.failed') };
    const own = wordings[failure.value.code];
    if (own) return { field: null, message: t(own) };
    return placeServerError(failure.value, fields);
  });
  const formError = computed(() => (placed.value && !placed.value.field ? placed.value.message : null));

  const schemaErrors = computed(() => fieldErrors(check()));
  const errors = computed(() => {
    const shown: Partial<Record<F, string>> = {};
    for (const field of fields) {
      const isShown = hasTriedSubmit.value || touched.has(field);
      const serverError = placed.value?.field === field ? placed.value.message : undefined;
      shown[field] = serverError ?? (isShown ? schemaErrors.value[field] : undefined);
    }
    return shown;
  });

  watch(values, () => {
    failure.value = null;
  });

  function touch(field: F): void {
    if (values[field] !== '') touched.add(field);
  }

  async function submit(run: () => Promise<void>): Promise<boolean> {
    hasTriedSubmit.value = true;
    failure.value = null;
    if (Object.keys(schemaErrors.value).length > 0 || status.value === 'submitting') return false;
    status.value = 'submitting';
    try {
      await run();
      status.value = 'idle';
      return true;
    } catch (err) {
      status.value = 'error';
      failure.value = err instanceof ApiError ? err.error : 'unexpected';
      return false;
    }
  }

  return { status, errors, formError, failure: computed(() => failure.value), touch, submit };
}
