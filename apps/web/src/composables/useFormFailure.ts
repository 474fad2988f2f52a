import { computed, ref } from 'vue';
import { t, type MessageKey } from '../i18n';
import { fieldErrors, placeServerError, type ParseResult } from '../lib/formErrors';
import type { SendError } from '../lib/messages';

interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

/**
 * A form's errors, kept as what went wrong and worded when shown, so they follow a change of
 * language while the form is open. `fields`: the form's field names, where a server error that
 * names one is shown; `byCode`: a catalogue message to show under a field for an error code.
 */
export function useFormFailure(fields: readonly string[], byCode: Readonly<Record<string, { field: string; key: MessageKey }>> = {}) {
  const failure = ref<(() => FormErrors) | null>(null);
  const errors = computed(() => failure.value?.().fields ?? {});
  const formError = computed(() => failure.value?.().form ?? null);

  /** Shows what the schema found; true when it refused the payload. */
  function refusedBySchema(result: ParseResult): boolean {
    failure.value = result.success ? null : () => ({ fields: fieldErrors(result), form: null });
    return !result.success;
  }

  function refusedByServer(error: SendError): void {
    failure.value = () => {
      const named = byCode[error.code];
      if (named) return { fields: { [named.field]: t(named.key) }, form: null };
      const placed = placeServerError(error, fields);
      return placed.field ? { fields: { [placed.field]: placed.message }, form: null } : { fields: {}, form: placed.message };
    };
  }

  return { errors, formError, refusedBySchema, refusedByServer };
}
