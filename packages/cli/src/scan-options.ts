import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { REPORT_FORMATS, type ReportFormat } from '@leakguard/scanner-core/reporters';

/** `--jobs N`: also taken by `logs`, which does not share the other scanning options. */
export const JOBS_OPTION = { alias: 'j', type: 'number', default: availableParallelism(), describe: 'cores to use: N matching workers, N-1 for git history and images, whose reading keeps a core busy (1 = no workers)' } as const;

/**
 * The value-less switches of the scanning commands (`logs` takes the first three too). Defined once so that
 * `leadingSwitches` can name every spelling of them.
 */
export const SWITCHES = {
  color: { type: 'boolean', default: true, describe: 'colour text output on a terminal (--no-color)' },
  strict: { type: 'boolean', default: false, describe: 'exit 2 if anything was skipped or cut short with a warning' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'no progress line and no warnings on stderr' },
  'inline-ignores': { type: 'boolean', default: true, describe: 'honour leakguard:allow and similar comments (--no-inline-ignores for audits)' },
  group: { type: 'boolean', default: true, describe: 'text/json: one entry per secret with all its places (--no-group streams each place)' },
} as const;

/** Every spelling of the switches (`--quiet`, `--no-quiet`, `-q`, …): they take no value wherever they stand. */
export function leadingSwitches(): Set<string> {
  const spellings = Object.entries(SWITCHES).flatMap(([name, option]) => [`--${name}`, `--no-${name}`, ...('alias' in option ? [`-${option.alias}`] : [])]);
  return new Set(spellings);
}

/** Options every scanning command shares. */
export interface ScanArgs {
  readonly format: ReportFormat;
  readonly output?: string;
  readonly config?: string;
  readonly color: boolean;
  readonly debug: boolean;
  /** Bytes; 0 = no limit. Read it through `maxFileSize(args)`, which applies the default. */
  readonly 'max-file-size'?: number;
  /** Any warning (an input skipped or cut short) makes the exit code 2. */
  readonly strict: boolean;
  readonly jobs: number;
  readonly shard?: string;
  readonly quiet: boolean;
  readonly 'file-timeout': number;
  readonly 'max-line-window': number;
  /** Report only findings not in this baseline file. */
  readonly baseline?: string;
  readonly 'inline-ignores': boolean;
  /** Text/JSON: one entry per secret with its places (--no-group streams one entry per place). */
  readonly group: boolean;
  /** Set by `leakguard baseline create`: write the findings as a baseline to this file instead of a report. */
  readonly 'write-baseline'?: string;
  /** Set by `leakguard baseline prune`: rewrite --baseline keeping only entries that still match. */
  readonly 'prune-baseline'?: boolean;
}

/** docs/limits.md: files (and stdin) above 1 GiB are not scanned unless --max-file-size says otherwise. */
export const DEFAULT_MAX_FILE_SIZE = 1024 ** 3;

/** The effective --max-file-size: the default when not given, undefined (no limit) for 0. */
export function maxFileSize(args: Pick<ScanArgs, 'max-file-size'>): number | undefined {
  const given = args['max-file-size'];
  if (given === undefined) return DEFAULT_MAX_FILE_SIZE; // NaN and negatives are usage errors (run.ts)
  return given <= 0 ? undefined : given;
}

export function withScanOptions<T>(yargs: Argv<T>): Argv<T & ScanArgs> {
  return yargs
    .option('format', { alias: 'f', choices: REPORT_FORMATS, default: 'text' as ReportFormat, describe: 'report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (default: .leakguard.yaml found upward)' })
    .option('color', SWITCHES.color)
    .option('max-file-size', {
      type: 'number',
      describe: `skip (with a warning) files larger than this many bytes; stdin stops there (default ${DEFAULT_MAX_FILE_SIZE}, 0 = no limit)`,
    })
    .option('strict', SWITCHES.strict)
    .option('max-line-window', { type: 'number', default: 8 * 1024 * 1024, describe: 'bytes per window for files and lines too large to scan whole (overlapping, so nothing is lost)' })
    .option('file-timeout', { type: 'number', default: 600, describe: 'seconds one file may take; the rest of a slower one is skipped with a warning (0 = none)' })
    .option('quiet', SWITCHES.quiet)
    .option('shard', { type: 'string', describe: 'scan only part I of N (e.g. 2/5), split deterministically; join with `leakguard merge`' })
    .option('baseline', { type: 'string', describe: 'report only findings not in this baseline (see `leakguard baseline create`)' })
    .option('inline-ignores', SWITCHES['inline-ignores'])
    .option('group', SWITCHES.group)
    .option('write-baseline', { type: 'string', hidden: true })
    .option('prune-baseline', { type: 'boolean', hidden: true })
    .option('jobs', JOBS_OPTION) as unknown as Argv<
    T & ScanArgs
  >;
}
