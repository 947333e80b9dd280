import { resolve } from 'node:path';
import { createScanner, redactFileInPlace, redactionFindings, redactStream, StreamRedactor } from '@leakguard/scanner-core';
import type { ExitCode } from '../io.js';
import { resolveConfig, writingTo } from '../run-scan.js';
import { defineCommand } from './command.js';

interface RedactArgs {
  readonly 'in-place'?: string;
  readonly config?: string;
}

export const redactCommand = defineCommand<RedactArgs>({
  command: 'redact',
  describe: 'copy stdin to stdout with every secret replaced by [REDACTED:<rule-id>], line by line (or rewrite a file with --in-place)',
  builder: (yargs) =>
    yargs
      .option('in-place', { type: 'string', describe: 'rewrite FILE atomically instead of filtering stdin' })
      .option('config', { alias: 'c', type: 'string', describe: 'config file (default: .leakguard.yaml found upward)' }) as never,
  handler: async (args, io): Promise<ExitCode> => {
    const inPlace = args['in-place'] === undefined ? undefined : resolve(io.cwd, args['in-place']);
    const config = resolveConfig(args, io, inPlace ?? '.');
    const key = io.env['LEAKGUARD_FINGERPRINT_KEY'];
    const scanner = createScanner(config, key === undefined || key === '' ? {} : { fingerprintKey: key });
    const redactor = new StreamRedactor(redactionFindings(scanner), { origin: { kind: 'stdin', path: inPlace ?? '<stdin>' } });
    if (inPlace !== undefined) {
      await redactFileInPlace(inPlace, redactor);
      return 0;
    }
    const { aborted } = await writingTo(io.stdout, io, undefined, () => redactStream(io.stdin, io.stdout, redactor, io.signal));
    if (aborted) return io.signal.reason === 'SIGTERM' ? 143 : 130;
    return 0;
  },
});
