import { resolve } from 'node:path';
import { createScanner, ruleInfo, UsageError, WorkerPoolMatcher } from '@leakguard/scanner-core';
import { REPORT_FORMATS, reporters, type ReportFormat } from '@leakguard/scanner-core/reporters';
import { parseShard } from '@leakguard/scanner-core/sources';
import { DEFAULT_DECODE_LIMITS, LogChunkScanner, LogSource, LogState, scanLogs } from '@leakguard/scanner-core/sources/logs';
import type { ExitCode } from '../io.js';
import { poolWorkers } from '../pool-size.js';
import { openOutput, resolveConfig, scanExitCode, scanFeedback, writingTo } from '../run-scan.js';
import { JOBS_OPTION, SWITCHES } from '../scan-options.js';
import { VERSION } from '../version.js';
import { defineCommand } from './command.js';

interface LogsArgs {
  readonly inputs: string[];
  readonly format: ReportFormat;
  readonly output?: string;
  readonly config?: string;
  readonly color: boolean;
  readonly 'max-file-size'?: number;
  readonly 'max-decoded-size': number;
  readonly 'max-decompression-ratio': number;
  readonly strict: boolean;
  readonly shard?: string;
  readonly state?: string;
  readonly 'all-occurrences': boolean;
  readonly 'redact-to'?: string;
  readonly jobs: number;
  readonly quiet: boolean;
}

export const logsCommand = defineCommand<LogsArgs>({
  command: 'logs <inputs..>',
  describe: 'audit log files, directories, globs, .gz/.zst archives or - (stdin); one finding per distinct secret',
  builder: (yargs) =>
    yargs
      // yargs drops a lone "-" from positionals; this keeps it (and unknown options, rejected in the handler).
      .parserConfiguration({ 'unknown-options-as-args': true })
      .positional('inputs', { type: 'string', array: true, describe: 'files, directories, globs, or - for stdin' })
      .option('format', { alias: 'f', choices: REPORT_FORMATS, default: 'text' as ReportFormat, describe: 'report format' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
      .option('config', { alias: 'c', type: 'string', describe: 'config file (default: .leakguard.yaml found upward)' })
      .option('color', SWITCHES.color)
      .option('max-file-size', { type: 'number', describe: 'skip (with a warning) files larger than this many bytes on disk' })
      .option('max-decoded-size', {
        type: 'number',
        default: DEFAULT_DECODE_LIMITS.maxDecodedBytes,
        describe: 'stop (with a warning) after this many decompressed bytes of one .gz/.zst file (0 = no limit)',
      })
      .option('max-decompression-ratio', {
        type: 'number',
        default: DEFAULT_DECODE_LIMITS.maxRatio,
        describe: 'stop (with a warning) a .gz/.zst file that inflates more than this many times, after 64 MiB (0 = no limit)',
      })
      .option('strict', SWITCHES.strict)
      .option('shard', { type: 'string', describe: 'scan only part I of N of the files (e.g. 2/5)' })
      .option('state', { type: 'string', describe: 'incremental audit: scan only what was added since the run that wrote FILE' })
      .option('all-occurrences', { type: 'boolean', default: false, describe: 'report every occurrence, not one finding per secret' })
      .option('redact-to', { type: 'string', describe: 'also write a redacted copy of every input under DIR' })
      .option('jobs', JOBS_OPTION)
      .option('quiet', SWITCHES.quiet)
      .conflicts('state', 'redact-to') as never,
  handler: async (args, io): Promise<ExitCode> => {
    if (args.inputs.length === 0) throw new UsageError('logs: name at least one file, directory, glob, or - for stdin');
    const unknown = args.inputs.find((i) => i.startsWith('-') && i !== '-');
    if (unknown !== undefined) throw new UsageError(`logs: unknown option ${unknown}`);
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    if (typeof shard === 'string') throw new UsageError(shard);
    const config = resolveConfig(args, io, args.inputs.find((i) => i !== '-' && !/[*?[{]/.test(i)) ?? '.');
    const key = io.env['LEAKGUARD_FINGERPRINT_KEY'];
    const fingerprintKey = key === undefined || key === '' ? undefined : key;
    const scanner = createScanner(config, fingerprintKey === undefined ? {} : { fingerprintKey });
    const statePath = args.state === undefined ? undefined : resolve(io.cwd, args.state);
    const state = statePath === undefined ? undefined : await LogState.load(statePath);
    const source = new LogSource(args.inputs, {
      cwd: io.cwd,
      stdin: io.stdin,
      ...(state === undefined ? {} : { state }),
      ...(args['max-file-size'] === undefined ? {} : { maxFileSize: args['max-file-size'] }),
      limits: { ...DEFAULT_DECODE_LIMITS, maxDecodedBytes: orNoLimit(args['max-decoded-size']), maxRatio: orNoLimit(args['max-decompression-ratio']) },
    });
    const out = args.output === undefined ? io.stdout : await openOutput(resolve(io.cwd, args.output));
    // Occurrences are already folded (bounded by distinct secrets) or deliberately listed: no reporter grouping.
    const reporter = reporters[args.format](out, { color: args.color && io.stdoutIsTTY && args.output === undefined, group: false });
    const keyed = fingerprintKey === undefined ? {} : { fingerprintKey };
    const jobs = Math.max(1, Math.floor(args.jobs));
    const workers = poolWorkers(jobs);
    const matcher = workers > 0 ? new WorkerPoolMatcher(new LogChunkScanner(scanner.engine, keyed), { config, ...keyed, logs: true }, workers) : undefined;
    const feedback = scanFeedback(args, io);
    const summary = await writingTo(out, io, args.output, () =>
      scanLogs({
        ...feedback.hooks,
        ...(matcher === undefined ? {} : { matcher }),
        source,
        engine: scanner.engine,
        filters: scanner.filters,
        reporters: [reporter],
        run: { tool: { name: 'leakguard', version: VERSION }, command: 'logs', root: io.cwd, rules: scanner.rules.map(ruleInfo) },
        signal: io.signal,
        allOccurrences: args['all-occurrences'],
        ...(shard === undefined ? {} : { shard }),
        ...(fingerprintKey === undefined ? {} : { fingerprintKey }),
        ...(args['redact-to'] === undefined ? {} : { redactTo: resolve(io.cwd, args['redact-to']) }),
      }).finally(feedback.done),
    );
    // Only now that every finding is written may the state say those bytes are done.
    if (state !== undefined && statePath !== undefined) await state.save(statePath);
    return scanExitCode(args, io, summary);
  },
});

/** 0 (or less) means no limit, as for the image command's limits. */
function orNoLimit(value: number): number {
  return value > 0 ? value : Number.POSITIVE_INFINITY;
}
