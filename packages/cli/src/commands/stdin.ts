import { StdinSource } from '@leakguard/scanner-core/sources';
import { runScan } from '../run-scan.js';
import { maxFileSize, withScanOptions, type ScanArgs } from '../scan-options.js';
import { defineCommand } from './command.js';

interface StdinArgs extends ScanArgs {
  readonly label: string;
}

export const stdinCommand = defineCommand<StdinArgs>({
  command: 'stdin',
  describe: 'scan standard input',
  builder: (yargs) =>
    withScanOptions(yargs).option('label', { type: 'string', default: '<stdin>', describe: 'path to report for stdin' }) as never,
  handler: (args, io) => {
    const max = maxFileSize(args);
    return runScan(args, io, [new StdinSource(io.stdin, args.label, max === undefined ? {} : { maxBytes: max })], '.', 'stdin');
  },
});
