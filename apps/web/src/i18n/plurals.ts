/**
 * vue-i18n's plural rule from the CLDR rules in `Intl.PluralRules`: a message's forms are
 * `other` alone, `one | other`, or `zero | one | other` (zero meaning the number 0 exactly,
 * as "no members"). Chinese has only `other`, so every count takes the last form; English
 * takes `one` for 1 only (not 0, not 1.5).
 */
export function pluralRule(locale: string): (choice: number, choicesLength: number) => number {
  const rules = new Intl.PluralRules(locale);
  return (choice, choicesLength) => {
    if (choicesLength === 3 && choice === 0) return 0;
    if (choicesLength >= 2 && rules.select(Math.abs(choice)) === 'one') return choicesLength - 2;
    return choicesLength - 1;
  };
}
