import type { Options, ScenarioName } from '../options.js';

export type Unit = 'µs' | 'ms' | 's' | 'CPU-s' | 'KB' | 'MB' | 'cores' | 'msg/s' | '%' | 'n' | '×';

export interface Metric {
  key: string;
  label: string;
  unit: Unit;
}

/** One target's figures in one case, by metric key; null where there is nothing to measure. */
export type Figures = Record<string, number | null>;

export interface CaseResult {
  name: string;
  bare: Figures;
  confab: Figures;
  /** Every message delivered, every client connected, nothing lost: what the smoke run insists on. */
  complete: boolean;
  /** What was incomplete, and why, in words. */
  problems: string[];
}

export interface ProfileSummary {
  phase: string;
  file: string;
  /** CPU time the samples cover, idle left out. */
  busyMs: number;
  /** Top functions by self time, with their share of all samples. */
  top: { fn: string; where: string; selfMs: number; percent: number }[];
}

export interface ScenarioResult {
  scenario: ScenarioName;
  metrics: Metric[];
  cases: CaseResult[];
  /** Why the scenario did not run (for example no database to run it on). */
  skipped?: string;
  /** The scenario broke: an exception, with its message. */
  error?: string;
  notes: string[];
  profiles: ProfileSummary[];
}

export interface Context {
  options: Options;
  /** Progress, on stderr. */
  log(line: string): void;
}

export type Scenario = (ctx: Context) => Promise<ScenarioResult>;

export function emptyResult(scenario: ScenarioName, metrics: Metric[]): ScenarioResult {
  return { scenario, metrics, cases: [], notes: [], profiles: [] };
}
