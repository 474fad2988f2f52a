import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProfileSummary } from './result.js';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

function where(url: string, line: number): string {
  if (!url) return '';
  if (!url.startsWith('file://')) return `${url}:${line + 1}`;
  const path = fileURLToPath(url);
  const shown = path.includes('/node_modules/') ? path.slice(path.lastIndexOf('/node_modules/') + 14) : relative(ROOT, path);
  // Modules compiled by tsx report line 0 for everything; the file is what helps.
  return line > 0 ? `${shown}:${line + 1}` : shown;
}

/**
 * Self time per function (all call sites of one function together), the `count` largest first,
 * as shares of the busy time: the samples where the process was idle are left out.
 */
export async function summarizeProfile(phase: string, file: string, count = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { fn: string; where: string; us: number }>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    busyUs += delta;
    const frame = node.callFrame;
    const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
    // The inspector's own dispatch: building the profile when it is stopped.
    const fn = frame.functionName === 'dispatch' && !frame.url ? '(profiler: dispatch)' : frame.functionName || '(anonymous)';
    const entry = selfUs.get(key) ?? { fn, where: where(frame.url, frame.lineNumber), us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((entry) => ({ fn: entry.fn, where: entry.where, selfMs: Math.round(entry.us / 1000), percent: Math.round((1000 * entry.us) / Math.max(1, busyUs)) / 10 }));
  return { phase, file, busyMs: Math.round(busyUs / 1000), top };
}
