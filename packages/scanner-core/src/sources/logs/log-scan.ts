import type { Engine } from '../../engine/engine.js';
import type { ChunkMatcher } from '../../engine/worker-pool.js';
import type { FindingFilter } from '../../filters/finding-filter.js';
import type { Finding } from '../../finding.js';
import { OrderedMatches } from '../../ordered-matches.js';
import { RedactedCopy } from '../../redact/redacted-copy.js';
import type { Reporter } from '../../reporters/reporter.js';
import { progressOf, type ScanProgress } from '../../scan.js';
import type { RunInfo, ScanSummary } from '../../summary.js';
import { YoungGarbage } from '../../young-garbage.js';
import type { Shard } from '../shard.js';
import type { ScanWarning } from '../source.js';
import { countingContext } from '../source-context.js';
import { LogChunkScanner } from './log-chunk-scanner.js';
import type { LogChunk } from './log-chunk.js';
import { OccurrenceAggregator } from './log-dedupe.js';
import type { LogSource } from './log-source.js';

export interface LogScanOptions {
  readonly source: LogSource;
  readonly engine: Engine;
  /** The engine's fingerprint key (findings from unescaped JSON get their location fingerprint here). */
  readonly fingerprintKey?: string;
  readonly filters?: readonly FindingFilter[];
  readonly reporters: readonly Reporter[];
  readonly run: RunInfo;
  readonly signal?: AbortSignal;
  readonly onWarning?: (warning: ScanWarning) => void;
  /** Report every occurrence instead of one finding per distinct secret. */
  readonly allOccurrences?: boolean;
  /** Write a redacted copy of every item under this directory. */
  readonly redactTo?: string;
  /** Scan only the files of this part (`--shard I/N`, keyed by reported path). */
  readonly shard?: Shard;
  /**
   * Where windows are matched: default the log scanner in this thread; a worker pool started with
   * `logs: true` for `--jobs N` (results are taken in window order, so the report is the same).
   */
  readonly matcher?: ChunkMatcher;
  /** Called after each window with running totals (findings: occurrences so far); see ScanProgress. */
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** Windows (1 MiB each) being matched at once: keeps every worker busy, bounds memory. */
const IN_FLIGHT = { chunks: 8, bytes: 16 * 1024 * 1024 };

/**
 * The `logs` pipeline: LogSource → LogChunkScanner (raw + unescaped JSON, timestamps) → filters →
 * dedupe → reporters, plus optional redacted copies. With dedupe (the default) findings reach the
 * reporters at the end, one per distinct secret with its occurrence count and last location.
 * `summary.findings` counts what was reported.
 */
export async function scanLogs(options: LogScanOptions): Promise<ScanSummary> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const { context, warnings, skipped, items, bytes, fraction } = countingContext({ signal, shard: options.shard, onWarning: options.onWarning });
  const warn = context.warn;
  for (const reporter of options.reporters) await reporter.onStart?.(options.run);
  const matcher = options.matcher ?? new LogChunkScanner(options.engine, options.fingerprintKey === undefined ? {} : { fingerprintKey: options.fingerprintKey });
  const aggregator = options.allOccurrences === true ? undefined : new OccurrenceAggregator();
  const filters = options.filters ?? [];
  let reported = 0;
  let occurrences = 0;
  let windowBytes = 0;
  const report = async (finding: Finding): Promise<void> => {
    reported++;
    for (const reporter of options.reporters) await reporter.onFinding(finding);
  };
  let copy: RedactedCopy | undefined;
  // Windows are taken back strictly in the order they were read, whatever thread matched them.
  const ordered = new OrderedMatches<{ readonly chunk: LogChunk }>(matcher, async ({ chunk }, matched) => {
    if (options.redactTo !== undefined && copy === undefined) {
      copy = await RedactedCopy.open(options.redactTo, chunk.item, (m) => warn(chunk.item.display, m));
    }
    const findings = matched.filter((f) => filters.every((filter) => filter.keep(f, { data: chunk.data, offset: chunk.offset })));
    occurrences += findings.length;
    for (const finding of findings) {
      if (aggregator === undefined) await report(finding);
      else aggregator.add(finding);
    }
    await copy?.write(chunk, findings);
    if (chunk.final) {
      await copy?.close();
      copy = undefined;
    }
    options.source.release?.(chunk);
    windowBytes += chunk.ownedEnd - chunk.ownedStart;
    options.onProgress?.(progressOf(items(), windowBytes, occurrences, started, fraction()));
  }, IN_FLIGHT);
  try {
    try {
      const young = new YoungGarbage();
      for await (const chunk of options.source.chunks(context)) {
        young.read(chunk.data.length);
        await ordered.add({ chunk });
        if (signal.aborted) break;
      }
    } finally {
      // Windows read before a source error or an abort are still reported.
      await ordered.drain();
    }
  } finally {
    ordered.discard(); // what a failed take left out must not reject unobserved once the pool closes
    await copy?.abort();
    await matcher.close();
  }
  if (aggregator !== undefined) for (const finding of aggregator.findings()) await report(finding);
  const summary: ScanSummary = {
    findings: reported,
    itemsScanned: items(),
    bytesScanned: bytes(),
    skipped,
    warnings,
    rulesLoaded: options.engine.rules.length,
    durationMs: Math.round(performance.now() - started),
    partial: signal.aborted,
  };
  for (const reporter of options.reporters) await reporter.onEnd(summary);
  return summary;
}
