import type { Chunk } from './chunk.js';
import { DeltaMatcher } from './delta-matcher.js';
import type { Engine } from './engine/engine.js';
import { InlineMatcher, type ChunkMatcher } from './engine/worker-pool.js';
import { OrderedMatches } from './ordered-matches.js';
import type { Finding } from './finding.js';
import type { FilterSummary, FindingFilter } from './filters/finding-filter.js';
import type { Reporter } from './reporters/reporter.js';
import { countingContext } from './sources/source-context.js';
import type { Shard } from './sources/shard.js';
import type { Source, ScanWarning } from './sources/source.js';
import type { RunInfo, ScanSummary } from './summary.js';

export interface ScanOptions {
  readonly sources: readonly Source[];
  readonly engine: Engine;
  readonly filters?: readonly FindingFilter[];
  readonly reporters: readonly Reporter[];
  readonly run: RunInfo;
  readonly signal?: AbortSignal;
  /** Called for each warning as it happens (the CLI prints them to stderr). */
  readonly onWarning?: (warning: ScanWarning) => void;
  /** Scan only this part of the input (`--shard I/N`). */
  readonly shard?: Shard;
  /** Where chunks are matched (default: `engine` in this thread); a worker pool for `--jobs N`. */
  readonly matcher?: ChunkMatcher;
  /**
   * Time budget of one item (file, blob, layer entry, log) in milliseconds: once an item read in windows has
   * taken longer, its remaining windows are not matched and a warning names it. 0 or absent: no budget.
   * (RE2 is linear, so one window always finishes; the budget bounds huge items, not single windows.)
   */
  readonly fileTimeoutMs?: number;
  /** Called after every chunk with running totals (the CLI throttles and draws a progress line). */
  readonly onProgress?: (progress: ScanProgress) => void;
  /**
   * Match a chunk that repeats an earlier one (Chunk.base: the next version of a file in git history) only
   * around its changes, carrying the earlier findings over (default true; tests compare against false).
   */
  readonly delta?: boolean;
}

/** Running totals of a scan in progress. Counts only; never content. */
export interface ScanProgress {
  readonly items: number;
  readonly bytes: number;
  readonly findings: number;
  readonly elapsedMs: number;
  /** The share of the input read, when the source knows its total (see SourceContext.through). */
  readonly fraction?: number;
}

/** Chunks and bytes being matched at once: bounds memory while keeping every worker busy. */
const IN_FLIGHT = 256;
const IN_FLIGHT_BYTES = 16 * 1024 * 1024;

/**
 * Source → Engine → Filters → Reporters. Sources throw only when the whole source is broken; item
 * problems arrive as warnings and the scan goes on.
 */
export async function scan(options: ScanOptions): Promise<ScanSummary> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const { context, warnings, skipped, items, bytes, fraction } = countingContext({ signal, shard: options.shard, onWarning: options.onWarning });
  let findings = 0;
  const suppressed: Record<string, number> = {};
  for (const reporter of options.reporters) await reporter.onStart?.(options.run);
  const filters = options.filters ?? [];
  const direct = options.matcher ?? new InlineMatcher(options.engine);
  const matcher = options.delta === false ? direct : new DeltaMatcher(direct, options.engine);
  // Results are handled strictly in submission order, so output is the same whatever runs the matching.
  const ordered = new OrderedMatches<{ readonly chunk: Chunk; readonly source: Source }>(matcher, async ({ chunk, source }, matched) => {
    for (const found of source.matched?.(chunk, matched) ?? matched) {
      for (const finding of await located(found, source, options.engine)) {
        if (!keep(finding, filters, chunk.data, chunk.offset, suppressed)) continue;
        findings++;
        for (const reporter of options.reporters) await reporter.onFinding(finding);
      }
    }
    source.release?.(chunk);
    options.onProgress?.(progressOf(items(), bytes(), findings, started, fraction()));
  }, { chunks: IN_FLIGHT, bytes: IN_FLIGHT_BYTES });
  // A source that breaks mid-scan (an error naming its input) still gets a closed, valid report of what
  // was read before, marked partial; then its error propagates (the CLI prints it and exits 2).
  let failure: { readonly error: unknown; readonly source: string } | undefined;
  // The item being read in windows (consecutive chunks with the same origin) and when its first window came.
  let item: { origin: Chunk['origin']; since: number; warned: boolean } | undefined;
  const budget = Number.isFinite(options.fileTimeoutMs) ? (options.fileTimeoutMs ?? 0) : 0;
  const overBudget = (chunk: Chunk): boolean => {
    if (budget <= 0) return false;
    const now = performance.now();
    if (item === undefined || item.origin !== chunk.origin || chunk.offset === 0) {
      item = { origin: chunk.origin, since: now, warned: false };
      return false;
    }
    if (now - item.since <= budget) return false;
    if (!item.warned) {
      item.warned = true;
      context.warn(chunk.origin.path, `took longer than --file-timeout (${budget / 1000} s); the rest from byte ${chunk.offset} on is not scanned`);
    }
    return true;
  };
  let current = '';
  try {
    for (const source of options.sources) {
      current = source.id;
      for await (const chunk of source.chunks(context)) {
        if (overBudget(chunk)) {
          source.release?.(chunk);
          continue;
        }
        await ordered.add({ chunk, source });
        if (signal.aborted) break;
      }
      await ordered.drain();
      if (signal.aborted) break;
    }
  } catch (error) {
    failure = { error, source: current };
    try {
      await ordered.drain();
    } catch {
      ordered.discard(); // the source's error is the one to report
    }
  } finally {
    await matcher.close();
  }
  const summary: ScanSummary = {
    findings,
    itemsScanned: items(),
    bytesScanned: bytes(),
    skipped,
    warnings: failure === undefined ? warnings : [...warnings, { input: failure.source, message: `scan stopped: ${errorLine(failure.error)}` }],
    rulesLoaded: options.engine.rules.length,
    durationMs: Math.round(performance.now() - started),
    partial: signal.aborted || failure !== undefined,
    ...(Object.keys(suppressed).length === 0 ? {} : { suppressed }),
    ...filters.reduce<FilterSummary>((all, f) => ({ ...all, ...f.summarize?.() }), {}),
    // Only when some text went undecoded: a worker pool's engines keep their own counts (not forwarded).
    ...((options.engine.decodeStats?.budgetExhausted ?? 0) > 0 ? { decoding: options.engine.decodeStats } : {}),
  };
  if (failure === undefined) {
    for (const reporter of options.reporters) await reporter.onEnd(summary);
    return summary;
  }
  try {
    for (const reporter of options.reporters) await reporter.onEnd(summary);
  } catch {
    // the source's error is the one to report
  }
  throw failure.error;
}

function errorLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** A finding once per place its chunk's content lives (most sources: just the finding). */
async function located(finding: Finding, source: Source, engine: Engine): Promise<readonly Finding[]> {
  if (source.locate === undefined) return [finding];
  const origins = await source.locate(finding.origin);
  return origins.map((origin) => (origin === finding.origin ? finding : engine.relocate(finding, origin)));
}

function keep(finding: Finding, filters: readonly FindingFilter[], data: Buffer, offset: number, suppressed: Record<string, number>): boolean {
  for (const filter of filters) {
    if (filter.keep(finding, { data, offset })) continue;
    const name = filter.name ?? 'filter';
    suppressed[name] = (suppressed[name] ?? 0) + 1;
    return false;
  }
  return true;
}

/** One progress report (the share read only when the source knows it). */
export function progressOf(items: number, bytes: number, findings: number, started: number, fraction: number | undefined): ScanProgress {
  return { items, bytes, findings, elapsedMs: performance.now() - started, ...(fraction === undefined ? {} : { fraction }) };
}
