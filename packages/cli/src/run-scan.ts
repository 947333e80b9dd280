import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  BaselineFilter,
  BaselineWriter,
  createScanner,
  fingerprintKeyCheck,
  readBaseline,
  writeBaseline,
  DEFAULT_CONFIG,
  findConfig,
  loadConfig,
  ruleInfo,
  InlineMatcher,
  WorkerPoolMatcher,
  scan,
  UsageError,
  type LeakguardConfig,
  type ScanProgress,
  type ScanSummary,
} from '@leakguard/scanner-core';
import { reporters } from '@leakguard/scanner-core/reporters';
import { parseShard, setWindowSize, type ScanWarning, type Source } from '@leakguard/scanner-core/sources';
import { closedOutput, type CliIo, type ExitCode } from './io.js';
import { poolWorkers } from './pool-size.js';
import { ProgressLine } from './progress-line.js';
import type { ScanArgs } from './scan-options.js';
import { VERSION } from './version.js';

/** The config a command uses: `--config`, else the nearest `.leakguard.yaml` above the target, else defaults. */
export function resolveConfig(args: Pick<ScanArgs, 'config'>, io: CliIo, target: string): LeakguardConfig {
  if (args.config !== undefined) return loadConfig(resolve(io.cwd, args.config));
  const found = findConfig(resolve(io.cwd, target));
  return found === undefined ? DEFAULT_CONFIG : loadConfig(found);
}

/**
 * Runs sources through the scanner into the chosen reporter and maps the result to an exit code.
 * `sources` may be a function of the effective config, for sources that use it (dir skips allow-listed paths).
 * `large`: the input is known to be big (a whole history, an image), so matching workers start at once and
 * compile their rules while the source is still getting ready, instead of after a warm-up. `sourceThreads`:
 * cores the source keeps busy itself (SOURCE_THREADS in pool-size.ts).
 */
export async function runScan(
  args: ScanArgs,
  io: CliIo,
  sourcesOrFactory: readonly Source[] | ((config: LeakguardConfig) => readonly Source[]),
  target: string,
  command: string,
  options: { readonly large?: boolean; readonly sourceThreads?: number } = {},
): Promise<ExitCode> {
  if (Number.isFinite(args['max-line-window'])) {
    try {
      setWindowSize(args['max-line-window']);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (typeof shard === 'string') throw new UsageError(shard);
  const config = resolveConfig(args, io, target);
  // Outside work (git) starts now and overlaps building the engine.
  const sources = typeof sourcesOrFactory === 'function' ? sourcesOrFactory(config) : sourcesOrFactory;
  for (const source of sources) source.prepare?.();
  const key = io.env['LEAKGUARD_FINGERPRINT_KEY'];
  const fingerprintKey = key === undefined || key === '' ? undefined : key;
  const scanner = createScanner(config, { inlineIgnores: args['inline-ignores'], ...(fingerprintKey === undefined ? {} : { fingerprintKey }) });
  const baseline = baselineMode(args, io, fingerprintKey);
  const filters = baseline.filter === undefined ? scanner.filters : [...scanner.filters, baseline.filter];
  const reportsToOutput = baseline.writer === undefined && args['prune-baseline'] !== true;
  const out = !reportsToOutput || args.output === undefined ? io.stdout : await openOutput(resolve(io.cwd, args.output));
  const reporter = baseline.writer ?? reporters[args.format](out, { color: args.color && io.stdoutIsTTY && args.output === undefined, group: args.group });
  const jobs = Math.max(1, Math.floor(args.jobs));
  const workers = poolWorkers(jobs, options.sourceThreads);
  const matcher = workers > 0 ? new WorkerPoolMatcher(new InlineMatcher(scanner.engine), { config, ...(fingerprintKey === undefined ? {} : { fingerprintKey }) }, workers) : undefined;
  if (options.large === true) matcher?.start();
  const feedback = scanFeedback(args, io);
  const summary = await writingTo(out, io, args.output, () =>
    scan({
      ...feedback.hooks,
      ...(matcher === undefined ? {} : { matcher }),
      ...(shard === undefined ? {} : { shard }),
      fileTimeoutMs: Number.isFinite(args['file-timeout']) && args['file-timeout'] > 0 ? args['file-timeout'] * 1000 : 0,
      sources,
      engine: scanner.engine,
      filters,
      reporters: reportsToOutput || baseline.writer !== undefined ? [reporter] : [],
      run: { tool: { name: 'leakguard', version: VERSION }, command, root: io.cwd, rules: scanner.rules.map(ruleInfo) },
      signal: io.signal,
    }).finally(feedback.done),
  );
  if (!reportsToOutput && !summary.partial) return finishBaseline(args, io, baseline, summary);
  return scanExitCode(args, io, summary);
}

/**
 * The exit code of a finished scan, shared by every scanning command: a note on stderr when the report went
 * to a file, 130/143 when a signal cut it short, 2 for `--strict` with warnings, else 1 for leaks, 0 clean.
 */
export function scanExitCode(
  args: { readonly output?: string | undefined; readonly strict: boolean },
  io: Pick<CliIo, 'stderr' | 'signal'>,
  summary: Pick<ScanSummary, 'findings' | 'partial' | 'warnings'>,
): ExitCode {
  if (args.output !== undefined) {
    io.stderr.write(`leakguard: ${summary.findings} leak${summary.findings === 1 ? '' : 's'} found; report written to ${args.output}\n`);
  }
  if (summary.partial) return io.signal.reason === 'SIGTERM' ? 143 : 130;
  if (args.strict && summary.warnings.length > 0) return strictFailure(io, summary);
  return summary.findings > 0 ? 1 : 0;
}

/** `--strict`: the report is complete as written, but something was skipped or cut short, so the run fails. */
function strictFailure(io: Pick<CliIo, 'stderr'>, summary: Pick<ScanSummary, 'warnings'>): 2 {
  const n = summary.warnings.length;
  io.stderr.write(`leakguard: --strict: ${n} warning${n === 1 ? '' : 's'} (input skipped or cut short); exit 2\n`);
  return 2;
}

/**
 * A scan's progress line (stderr a terminal, no --quiet) and its warnings on stderr, for runScan and the logs
 * command: `hooks` go to the scan, `done` clears the line once it has ended.
 */
export function scanFeedback(args: { readonly quiet: boolean }, io: Pick<CliIo, 'stderr' | 'stderrIsTTY'>) {
  const progress = io.stderrIsTTY && !args.quiet ? new ProgressLine(io.stderr) : undefined;
  return {
    hooks: {
      ...(progress === undefined ? {} : { onProgress: (p: ScanProgress) => progress.update(p) }),
      onWarning: (w: ScanWarning): void => {
        if (args.quiet) return;
        progress?.clear();
        io.stderr.write(`leakguard: warning: ${w.input}: ${w.message}\n`);
      },
    },
    done: (): void => progress?.clear(),
  };
}

/**
 * Runs `body`, which writes to `out` (standard output, or `--output FILE`, closed afterwards). A write error of
 * `out` itself, its reader gone (`leakguard … | head`) or a full disk, is told apart from an input's and
 * becomes one line naming the destination, not `write EPIPE`.
 */
export async function writingTo<T>(out: Writable, io: Pick<CliIo, 'stdout'>, output: string | undefined, body: () => Promise<T>): Promise<T> {
  let failure: Error | undefined;
  const onError = (error: Error): void => {
    failure ??= error;
  };
  out.on('error', onError);
  let result: T;
  try {
    result = await body();
  } catch (error) {
    if (failure !== undefined && error === failure) throw closedOutput(output, failure);
    throw error;
  } finally {
    if (out !== io.stdout) await closeOutput(out).catch(onError);
    out.off('error', onError);
  }
  if (failure !== undefined) throw closedOutput(output, failure);
  return result;
}

/** Opens `--output FILE`, or fails with a one-line usage error naming it. */
export async function openOutput(path: string): Promise<Writable> {
  const stream = createWriteStream(path);
  await new Promise<void>((ok, fail) => {
    stream.once('open', () => ok());
    stream.once('error', (error) => fail(new UsageError(`--output ${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? error.message})`)));
  });
  return stream;
}

export async function closeOutput(stream: Writable): Promise<void> {
  // `finished`, not end()'s callback: a stream that already failed (a full disk) never calls that back.
  stream.end();
  await finished(stream, { readable: false });
}

interface BaselineMode {
  readonly filter?: BaselineFilter;
  readonly writer?: BaselineWriter;
  readonly path?: string;
  readonly keyCheck: string;
}

/** `--baseline FILE` filters; `--write-baseline FILE` (baseline create) replaces the report with a baseline writer. */
function baselineMode(args: ScanArgs, io: CliIo, fingerprintKey: string | undefined): BaselineMode {
  const keyCheck = fingerprintKeyCheck(fingerprintKey);
  const target = args['write-baseline'];
  if (target !== undefined) {
    const path = resolve(io.cwd, target);
    // Reasons and expiry dates people wrote on the old file are kept; an unreadable old file is replaced.
    let previous;
    try {
      previous = existsSync(path) ? readBaseline(path, target) : undefined;
    } catch {
      previous = undefined;
    }
    return { writer: new BaselineWriter(path, keyCheck, previous), path: target, keyCheck };
  }
  if (args.baseline === undefined) {
    if (args['prune-baseline'] === true) throw new UsageError('baseline prune: name the baseline file with --baseline');
    return { keyCheck };
  }
  const baseline = readBaseline(resolve(io.cwd, args.baseline), args.baseline);
  return { filter: new BaselineFilter(baseline, args.baseline, keyCheck), path: args.baseline, keyCheck };
}

async function finishBaseline(args: ScanArgs, io: CliIo, mode: BaselineMode, summary: ScanSummary): Promise<ExitCode> {
  if (mode.writer !== undefined) {
    io.stderr.write(`leakguard: wrote ${mode.writer.size} baseline entr${mode.writer.size === 1 ? 'y' : 'ies'} (${summary.findings} finding(s)) to ${mode.path ?? ''}\n`);
    return 0;
  }
  if (mode.filter !== undefined && args.baseline !== undefined) {
    const kept = mode.filter.matchedEntries();
    const before = summary.baseline?.entries ?? kept.length;
    await writeBaseline(resolve(io.cwd, args.baseline), { keyCheck: mode.keyCheck, entries: kept });
    io.stderr.write(`leakguard: pruned ${before - kept.length} stale entr${before - kept.length === 1 ? 'y' : 'ies'} from ${args.baseline}; ${kept.length} remain\n`);
  }
  return 0;
}
