import type { LeakguardConfig } from '@leakguard/scanner-core';
import { DirSource } from '@leakguard/scanner-core/sources';
import { runScan } from '../run-scan.js';
import { maxFileSize, withScanOptions, type ScanArgs } from '../scan-options.js';
import { defineCommand } from './command.js';

interface DirArgs extends ScanArgs {
  readonly paths: string[];
  readonly 'ignore-files': boolean;
}

export const dirCommand = defineCommand<DirArgs>({
  command: 'dir [paths..]',
  describe: 'scan files and directories (honours .gitignore and .leakguardignore)',
  builder: (yargs) =>
    withScanOptions(yargs)
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'files or directories' })
      .option('ignore-files', { type: 'boolean', default: true, describe: 'honour .gitignore/.leakguardignore (--no-ignore-files)' }) as never,
  handler: (args, io) => {
    const paths = args.paths.length === 0 ? ['.'] : args.paths;
    const sources = (config: LeakguardConfig): DirSource[] => [
      new DirSource(paths, {
        cwd: io.cwd,
        useIgnoreFiles: args['ignore-files'],
        // Allow-listed paths are not even read: their findings would be dropped anyway.
        excludePaths: config.allow.paths,
        ...(maxFileSize(args) === undefined ? {} : { maxFileSize: maxFileSize(args) }),
      }),
    ];
    return runScan(args, io, sources, paths[0] ?? '.', 'dir');
  },
});
