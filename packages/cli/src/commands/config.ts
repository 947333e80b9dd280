import { createScanner, printConfig } from '@leakguard/scanner-core';
import type { CliIo, ExitCode } from '../io.js';
import { resolveConfig } from '../run-scan.js';
import { defineCommand } from './command.js';

interface ConfigArgs {
  readonly action: 'print' | 'check';
  readonly path: string;
  readonly config?: string;
}

/** `leakguard config print|check [path]`: the effective config for a target, or just validate it. */
export const configCommand = defineCommand<ConfigArgs>({
  command: 'config <action> [path]',
  describe: 'print the effective config (YAML) for a target, or check it (exit 2 with every problem)',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ['print', 'check'] as const, describe: 'print | check' })
      .positional('path', { type: 'string', default: '.', describe: 'target whose .leakguard.yaml is used (found upward)' })
      .option('config', { alias: 'c', type: 'string', describe: 'config file (default: .leakguard.yaml found upward)' }) as never,
  handler: (args, io: CliIo): Promise<ExitCode> => {
    const config = resolveConfig(args, io, args.path);
    // Building the scanner checks what the loader cannot alone: rule ids in disable/overrides, patterns.
    const scanner = createScanner(config);
    if (args.action === 'print') io.stdout.write(printConfig(config, scanner.rules.length));
    else io.stdout.write(`${config.path ?? 'built-in defaults'}: OK (${scanner.rules.length} rules)\n`);
    return Promise.resolve(0);
  },
});
