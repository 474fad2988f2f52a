import { parseArgs } from 'node:util';

export const SCENARIOS = ['connect', 'idle', 'fanout', 'scaleout', 'dm', 'reconnect', 'db', 'rooms', 'rich', 'files'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Options {
  only: ScenarioName[];
  /** Which servers to run (both by default; one alone gives no ratios). */
  targets: ('bare' | 'confab')[];
  smoke: boolean;
  /** Runs of the whole selection; each figure is reported as the median of its runs. */
  runs: number;
  json: string | undefined;
  /** Folder for CPU profiles of Confab during connect, idle and fan-out at fixed rates; none when unset. The profiler's cost lands in Confab's CPU figures. */
  profile: string | undefined;
  connectSizes: number[];
  batch: number;
  /** Connecting stops starting batches after this long (a slow server must not hold the run for ever). */
  connectDeadlineSeconds: number;
  idleClients: number;
  idleSeconds: number;
  recheckMs: number;
  fanoutClients: number;
  fanoutRates: number[];
  fanoutSeconds: number;
  fanoutSenders: number;
  kneeSteps: number;
  kneeSeconds: number;
  scaleoutClients: number;
  scaleoutRate: number;
  scaleoutSeconds: number;
  scaleoutIdleSeconds: number;
  dmSenders: number;
  dmSeconds: number;
  reconnectClients: number;
  reconnectRate: number;
  reconnectSeconds: number;
  dbSenders: number;
  dbSeconds: number;
  dbSizes: number[];
  dbAppends: number;
  /** Seeding a room stops after this long; the size reached is reported. */
  dbSeedSeconds: number;
  /** Appends into one room stop after this long (at least 3 are made). */
  dbAppendSeconds: number;
}

const FULL: Omit<Options, 'only' | 'targets' | 'smoke' | 'runs' | 'json' | 'profile'> = {
  connectSizes: [1000, 2000, 5000],
  batch: 200,
  connectDeadlineSeconds: 90,
  idleClients: 5000,
  idleSeconds: 20,
  recheckMs: 5000,
  fanoutClients: 1000,
  fanoutRates: [50, 100],
  fanoutSeconds: 6,
  fanoutSenders: 10,
  kneeSteps: 5,
  kneeSeconds: 4,
  scaleoutClients: 1000,
  scaleoutRate: 50,
  scaleoutSeconds: 8,
  scaleoutIdleSeconds: 10,
  dmSenders: 50,
  dmSeconds: 5,
  reconnectClients: 1000,
  reconnectRate: 50,
  reconnectSeconds: 3,
  dbSenders: 50,
  dbSeconds: 8,
  dbSizes: [100, 10_000, 100_000],
  dbAppends: 40,
  dbSeedSeconds: 150,
  dbAppendSeconds: 30,
};

// Every scenario at a size that runs in seconds: it checks that the suite works, not speed.
const SMOKE: typeof FULL = {
  connectSizes: [20],
  batch: 10,
  connectDeadlineSeconds: 20,
  idleClients: 20,
  idleSeconds: 1,
  recheckMs: 300,
  fanoutClients: 20,
  fanoutRates: [20],
  fanoutSeconds: 1,
  fanoutSenders: 2,
  kneeSteps: 1,
  kneeSeconds: 1,
  scaleoutClients: 20,
  scaleoutRate: 20,
  scaleoutSeconds: 1,
  scaleoutIdleSeconds: 0.5,
  dmSenders: 4,
  dmSeconds: 0.5,
  reconnectClients: 20,
  reconnectRate: 20,
  reconnectSeconds: 0.5,
  dbSenders: 4,
  dbSeconds: 0.5,
  dbSizes: [10, 200],
  dbAppends: 5,
  dbSeedSeconds: 20,
  dbAppendSeconds: 5,
};

const numbers = (value: string) => value.split(',').map((v) => Number(v.trim())).filter((v) => Number.isFinite(v) && v > 0);

/** Command-line flags: `--only a,b`, `--targets bare,confab`, `--smoke`, `--runs N`, `--json FILE`, `--profile DIR`, and each size as `--kebab-name value`. */
export function parseOptions(argv: string[]): Options {
  const sizeFlags = Object.fromEntries(Object.keys(FULL).map((key) => [key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), { type: 'string' as const }]));
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: 'string' }, targets: { type: 'string' }, smoke: { type: 'boolean', default: false }, runs: { type: 'string' }, json: { type: 'string' }, profile: { type: 'string' }, ...sizeFlags },
    // pnpm may pass a lone '--' through.
    allowPositionals: true,
  });
  const smoke = values.smoke === true;
  const sizes: Record<string, unknown> = { ...(smoke ? SMOKE : FULL) };
  for (const [key, fallback] of Object.entries(sizes)) {
    const given = (values as Record<string, unknown>)[key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)];
    if (typeof given !== 'string') continue;
    sizes[key] = Array.isArray(fallback) ? numbers(given) : Number(given);
    if (!Array.isArray(fallback) && !Number.isFinite(sizes[key])) throw new Error(`--${key}: not a number: ${given}`);
  }
  const only = typeof values.only === 'string' ? values.only.split(',').map((name) => name.trim()) : [...SCENARIOS];
  for (const name of only) if (!SCENARIOS.includes(name as ScenarioName)) throw new Error(`--only: no scenario "${name}" (there are: ${SCENARIOS.join(', ')})`);
  const targets = typeof values.targets === 'string' ? values.targets.split(',').map((name) => name.trim()) : ['bare', 'confab'];
  for (const name of targets) if (name !== 'bare' && name !== 'confab') throw new Error(`--targets: no target "${name}" (there are: bare, confab)`);
  return {
    ...(sizes as typeof FULL),
    only: only as ScenarioName[],
    targets: targets as Options['targets'],
    runs: typeof values.runs === 'string' ? Math.max(1, Math.floor(Number(values.runs)) || 1) : 1,
    smoke,
    json: typeof values.json === 'string' ? values.json : undefined,
    profile: typeof values.profile === 'string' ? values.profile : undefined,
  };
}
