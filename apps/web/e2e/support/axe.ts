import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The WCAG 2.0 and 2.1 success criteria, levels A and AA: what issue 18 asks Confab to meet. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

/**
 * axe-core's serious and critical violations on the page as it is now, one readable line per
 * element: `[impact] rule-id: help — target — what to fix`, so a failing test explains itself.
 * Shadow roots (the emoji picker's) are checked too.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .flatMap((v) =>
      v.nodes.map((node) => {
        const summary = (node.failureSummary ?? '').replace(/\s+/g, ' ').trim();
        return `[${v.impact}] ${v.id}: ${v.help} — ${node.target.join(' ')} — ${summary}`;
      }),
    );
}
