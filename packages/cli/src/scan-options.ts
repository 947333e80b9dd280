import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { REPORT_FORMATS, type ReportFormat } from '@leakguard/scanner-core/reporters';

/** Options every scanning command shares. */
export interface ScanArgs {
  readonly format: ReportFormat;
  readonly output?: string;
  readonly config?: string;
  readonly color: boolean;
  readonly debug: boolean;
  readonly 'max-file-size'?: number;
  readonly jobs: number;
}

export function withScanOptions<T>(yargs: Argv<T>): Argv<T & ScanArgs> {
  return yargs
    .option('format', { alias: 'f', choices: REPORT_FORMATS, default: 'text' as ReportFormat, describe: 'report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (default: .leakguard.yaml found upward)' })
    .option('color', { type: 'boolean', default: true, describe: 'colour text output on a terminal (--no-color)' })
    .option('max-file-size', { type: 'number', describe: 'skip (with a warning) files larger than this many bytes' })
    .option('jobs', { alias: 'j', type: 'number', default: availableParallelism(), describe: 'matching threads (1 = no workers)' }) as unknown as Argv<
    T & ScanArgs
  >;
}
