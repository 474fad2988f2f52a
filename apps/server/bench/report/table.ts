import type { Metric, ScenarioResult, Unit } from './result.js';

function format(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : size >= 0.01 || size === 0 ? 3 : 4;
  if (unit === 'n') return String(Math.round(value));
  if (unit === '×') return `${value.toFixed(2)}×`;
  return `${value.toFixed(digits)} ${unit}`;
}

function ratio(confab: number | null | undefined, bare: number | null | undefined): string {
  if (confab === null || confab === undefined || bare === null || bare === undefined || bare === 0) return '';
  const r = confab / bare;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

/** One table, every scenario's cases and metrics, with Confab ÷ bare for each figure. */
export function renderTable(results: ScenarioResult[]): string {
  const rows: string[][] = [['scenario', 'case', 'figure', 'bare Socket.IO', 'Confab', 'Confab / bare']];
  for (const result of results) {
    if (result.skipped) rows.push([result.scenario, 'skipped', result.skipped, '', '', '']);
    if (result.error) rows.push([result.scenario, 'FAILED', result.error.split('\n')[0]!, '', '', '']);
    for (const row of result.cases) {
      for (const metric of result.metrics as Metric[]) {
        const bare = row.bare[metric.key];
        const confab = row.confab[metric.key];
        if ((bare === undefined || bare === null) && (confab === undefined || confab === null)) continue;
        rows.push([result.scenario, row.name, metric.label, format(bare, metric.unit), format(confab, metric.unit), ratio(confab, bare)]);
      }
      if (row.problems.length > 0) rows.push([result.scenario, row.name, 'INCOMPLETE (below)', '', '', '']);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => (column >= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column >= 3 ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
