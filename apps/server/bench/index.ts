// pnpm bench: Confab beside a bare Socket.IO 4 server doing the same work, in the same run, each
// server in a process of its own pinned to core 0 and this load generator pinned to core 1.
// A benchmark, not a test: it prints figures. `--smoke` runs every scenario at a tiny size and
// fails (exit 1) only if one breaks (an error, a message not delivered, a client not connected).
//
//   pnpm bench                          everything (about 10 minutes)
//   pnpm bench --only connect,idle      some scenarios
//   pnpm bench --connect-sizes 500 --idle-seconds 10 --json out.json --profile prof/
//   pnpm bench --runs 3                 every figure the median of 3 runs (a noisy machine)
//   pnpm bench --smoke --json out.json
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { parseOptions, type ScenarioName } from './options.js';
import { pinLoadGenerator, pinning } from './harness/spawn.js';
import type { Context, Scenario, ScenarioResult } from './report/result.js';
import { medianOfRuns } from './report/median.js';
import { renderTable } from './report/table.js';
import { connect } from './scenarios/connect.js';
import { db } from './scenarios/db.js';
import { dm } from './scenarios/dm.js';
import { fanout } from './scenarios/fanout.js';
import { idle } from './scenarios/idle.js';
import { reconnect } from './scenarios/reconnect.js';
import { files } from './scenarios/files.js';
import { rich } from './scenarios/rich.js';
import { rooms } from './scenarios/rooms.js';
import { scaleout } from './scenarios/scaleout.js';

const RUN: Record<ScenarioName, Scenario> = { connect, idle, fanout, scaleout, dm, reconnect, db, rooms, rich, files };

const options = parseOptions(process.argv.slice(2));
pinLoadGenerator();
const startedAt = performance.now();
const ctx: Context = { options, log: (line) => process.stderr.write(`bench ${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s: ${line}\n`) };
const machine = {
  date: new Date().toISOString(),
  // Not availableParallelism(): this process is pinned to one core by now.
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  pinned: pinning ? `servers on core ${pinning.server}, load generator on core ${pinning.load}` : 'not pinned (fewer than 2 cores, or no taskset)',
};
ctx.log(`${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.pinned}${options.smoke ? ', smoke sizes' : ''}`);

const runs: ScenarioResult[][] = [];
for (let run = 1; run <= options.runs; run++) {
  const results: ScenarioResult[] = [];
  for (const name of options.only) {
    const started = performance.now();
    try {
      results.push(await RUN[name](ctx));
    } catch (err) {
      results.push({ scenario: name, metrics: [], cases: [], notes: [], profiles: [], error: String((err as Error)?.stack ?? err) });
    }
    ctx.log(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s${options.runs > 1 ? ` (run ${run} of ${options.runs})` : ''}`);
  }
  runs.push(results);
}
const results = medianOfRuns(runs);

console.log(`\nConfab vs bare Socket.IO 4, ${machine.date}: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}; ${machine.pinned}\n`);
if (options.profile) console.log('Profiled run: the profiler runs in Confab\'s server process, so Confab\'s CPU figures include its cost. Measure without --profile.\n');
console.log(renderTable(results));
for (const result of results) {
  for (const note of result.notes) console.log(`\n${result.scenario}: ${note}`);
  for (const row of result.cases) for (const problem of row.problems) console.log(`\n${result.scenario}, ${row.name}: INCOMPLETE: ${problem}`);
  for (const profile of result.profiles) {
    console.log(`\nCPU profile, Confab, ${profile.phase}: top self time, share of ${profile.busyMs} ms busy (${profile.file}):`);
    for (const entry of profile.top) console.log(`  ${String(entry.percent).padStart(5)}%  ${String(entry.selfMs).padStart(7)} ms  ${entry.fn}  ${entry.where}`);
  }
  if (result.error) console.log(`\n${result.scenario} FAILED:\n${result.error}`);
}
if (options.json) await writeFile(options.json, `${JSON.stringify({ machine, options, results, ...(runs.length > 1 ? { runs } : {}) }, null, 2)}\n`);

const broken = results.filter((result) => result.error || (options.smoke && result.cases.some((row) => !row.complete)));
if (broken.length > 0) {
  console.error(`\nbench: broken: ${broken.map((result) => result.scenario).join(', ')}`);
  process.exitCode = 1;
}
// Clients' and servers' leftovers must not keep the run alive.
process.exit();
