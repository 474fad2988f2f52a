import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

/**
 * The budget for the JavaScript a first visit waits for: the entry chunk that index.html loads and
 * every chunk it imports statically (index.html preloads those). In bytes after gzip, as served.
 */
export const INITIAL_JS_GZIP_BUDGET = 100 * 1000;

/** What this check needs of a chunk in Rolldown's output bundle. */
export interface BundleChunk {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  /** Chunks it imports statically (what index.html preloads for the entry); dynamic imports are not here. */
  imports: string[];
}

export type BundleOutput = Record<string, BundleChunk | { type: 'asset'; fileName: string }>;

export interface ChunkSize {
  fileName: string;
  raw: number;
  gzip: number;
  /** Measured for the initial chunks only: brotli's highest quality is slow, and the budget is in gzip. */
  brotli?: number;
}

export interface BudgetReport {
  initial: ChunkSize[];
  total: ChunkSize;
  /** Chunks loaded on demand (dynamic imports), largest first. */
  lazy: ChunkSize[];
  /** Every chunk, initial and on demand. */
  all: ChunkSize;
  budget: number;
  overBudget: boolean;
}

/** Sizes as the build precompresses them: gzip level 9 and brotli quality 11. */
export function measure(fileName: string, content: string | Uint8Array, withBrotli = true): ChunkSize {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const size: ChunkSize = { fileName, raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
  if (withBrotli) size.brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength;
  return size;
}

/** The chunks a page entry (an .html facade) loads before the app runs: entries and their static imports. */
export function initialChunkNames(bundle: BundleOutput): string[] {
  const chunks = new Map<string, BundleChunk>();
  for (const output of Object.values(bundle)) if (output.type === 'chunk') chunks.set(output.fileName, output);
  const initial = new Set<string>();
  const visit = (fileName: string) => {
    if (initial.has(fileName)) return;
    const chunk = chunks.get(fileName);
    if (!chunk) return;
    initial.add(fileName);
    for (const imported of chunk.imports) visit(imported);
  };
  for (const chunk of chunks.values()) if (chunk.isEntry && chunk.facadeModuleId?.endsWith('.html')) visit(chunk.fileName);
  return [...initial];
}

export function budgetReport(bundle: BundleOutput, budget = INITIAL_JS_GZIP_BUDGET): BudgetReport {
  const names = new Set(initialChunkNames(bundle));
  const chunks = Object.values(bundle).filter((output): output is BundleChunk => output.type === 'chunk');
  const initial = chunks.filter((c) => names.has(c.fileName)).map((c) => measure(c.fileName, c.code));
  const lazy = chunks.filter((c) => !names.has(c.fileName)).map((c) => measure(c.fileName, c.code, false));
  const total = sum('total', initial);
  lazy.sort((a, b) => b.gzip - a.gzip);
  return { initial, total, lazy, all: sum('all chunks', [...initial, ...lazy]), budget, overBudget: names.size === 0 || total.gzip > budget };
}

function sum(fileName: string, sizes: ChunkSize[]): ChunkSize {
  const total: ChunkSize = { fileName, raw: 0, gzip: 0 };
  for (const size of sizes) {
    total.raw += size.raw;
    total.gzip += size.gzip;
    if (size.brotli !== undefined) total.brotli = (total.brotli ?? 0) + size.brotli;
  }
  if (sizes.some((size) => size.brotli === undefined)) delete total.brotli;
  return total;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;
const row = (size: ChunkSize) =>
  `  ${size.fileName.padEnd(40)} ${kB(size.raw).padStart(11)} │ gzip ${kB(size.gzip).padStart(10)}${size.brotli === undefined ? '' : ` │ brotli ${kB(size.brotli).padStart(10)}`}`;

export function formatReport(report: BudgetReport): string {
  return [
    `Initial JavaScript (what index.html loads), budget ${kB(report.budget)} gzip:`,
    ...report.initial.map(row),
    row(report.total),
    `Loaded on demand: ${report.lazy.length} chunks, the largest:`,
    ...report.lazy.slice(0, 5).map(row),
    row(report.all),
  ].join('\n');
}

/** Prints the initial JavaScript's sizes after every build, and fails the build when they are over the budget. */
export function bundleBudget(budget = INITIAL_JS_GZIP_BUDGET): Plugin {
  let config: ResolvedConfig | undefined;
  return {
    name: 'confab:bundle-budget',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_options, bundle) {
      const report = budgetReport(bundle as unknown as BundleOutput, budget);
      const text = formatReport(report);
      if (report.overBudget) {
        this.error(
          report.initial.length === 0
            ? 'bundle budget: found no chunk loaded by an .html entry'
            : `bundle budget: the initial JavaScript is ${kB(report.total.gzip)} gzip, over the ${kB(budget)} budget. Load rarely used parts on demand (a lazy route, defineAsyncComponent or import()).\n${text}`,
        );
      }
      config?.logger.info(`\n${text}`);
    },
  };
}
