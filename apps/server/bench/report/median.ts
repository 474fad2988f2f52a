import type { CaseResult, Figures, ScenarioResult } from './result.js';

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianFigures(all: Figures[]): Figures {
  const keys = new Set(all.flatMap((figures) => Object.keys(figures)));
  return Object.fromEntries([...keys].map((key) => [key, median(all.map((figures) => figures[key]).filter((value): value is number => typeof value === 'number'))]));
}

/**
 * One result from several runs of the same scenarios (`--runs N`, for a noisy machine): each
 * figure is the median of its runs; a case is complete only if it was in every run.
 */
export function medianOfRuns(runs: ScenarioResult[][]): ScenarioResult[] {
  if (runs.length === 1) return runs[0]!;
  return runs[0]!.map((first, i) => {
    const same = runs.map((run) => run[i]!);
    const label = (k: number, text: string) => `run ${k + 1}: ${text}`;
    const cases: CaseResult[] = first.cases.map((row, j) => {
      const rows = same.map((result) => result.cases[j]).filter((r): r is CaseResult => r !== undefined);
      return {
        name: row.name,
        bare: medianFigures(rows.map((r) => r.bare)),
        confab: medianFigures(rows.map((r) => r.confab)),
        complete: rows.length === runs.length && rows.every((r) => r.complete),
        problems: rows.flatMap((r, k) => r.problems.map((problem) => label(k, problem))),
      };
    });
    const errors = same.flatMap((result, k) => (result.error ? [label(k, result.error)] : []));
    return {
      ...first,
      cases,
      ...(errors.length > 0 ? { error: errors.join('\n') } : {}),
      notes: [...(cases.length > 0 ? [`figures are medians of ${runs.length} runs`] : []), ...same.flatMap((result, k) => result.notes.map((note) => label(k, note)))],
      profiles: same.flatMap((result) => result.profiles),
    };
  });
}
