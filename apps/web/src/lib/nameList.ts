import { t } from '../i18n';

/** Names read as one phrase in the language on screen: "Alice", "Alice and Bob", "Alice, Bob and Carol" ("Alice、Bob 和 Carol"). */
export function nameList(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return t('chat.names.last', { names: names.slice(0, -1).join(t('chat.names.separator')), last: names.at(-1)! });
}
