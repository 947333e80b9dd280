import { DEFAULT_BASELINE_FILE, UsageError } from '@leakguard/scanner-core';
import type { CliIo, ExitCode } from '../io.js';
import { defineCommand } from './command.js';

interface BaselineArgs {
  readonly action: 'create' | 'prune';
  readonly scan: (string | number)[];
  readonly baseline: string;
}

/**
 * `leakguard baseline create|prune [scan command and its arguments]` (default scan: `dir .`). The scan runs
 * through the ordinary command, so every scanning command (dir, git, image, logs, stdin) can make or prune
 * a baseline with exactly the arguments the CI run uses.
 */
export const baselineCommand = defineCommand<BaselineArgs>({
  command: 'baseline <action> [scan..]',
  describe: 'create a baseline of current findings, or prune entries that match nothing (then scan with --baseline FILE)',
  builder: (yargs) =>
    yargs
      .strict(false)
      // Everything after the action belongs to the scan command, options included.
      .parserConfiguration({ 'unknown-options-as-args': true })
      .positional('action', { choices: ['create', 'prune'] as const, describe: 'create | prune' })
      .positional('scan', { type: 'string', array: true, describe: 'scan command and arguments (default: dir .)' })
      .option('baseline', { type: 'string', default: DEFAULT_BASELINE_FILE, describe: 'baseline file to write or prune' })
      .example('$0 baseline create', 'baseline every finding in the working tree')
      .example('$0 baseline create git --all', 'baseline the whole history')
      .example('$0 baseline prune git --all', 'drop entries that no longer match anything') as never,
  handler: async (args, io: CliIo): Promise<ExitCode> => {
    const scan = args.scan.map(String);
    // No scan command (or only options, `baseline create -j 1`): the working tree, as `dir` would scan it.
    const argv = scan.length === 0 || scan[0]?.startsWith('-') === true ? ['dir', ...scan] : scan;
    if (['baseline', 'config', 'rules', 'merge', 'redact', 'hook'].includes(argv[0] ?? '')) {
      throw new UsageError(`baseline ${args.action}: "${argv[0] ?? ''}" is not a scanning command (use dir, git, image, logs or stdin)`);
    }
    const extra = args.action === 'create' ? ['--write-baseline', args.baseline] : ['--baseline', args.baseline, '--prune-baseline'];
    // Imported when run: run.ts imports the command list that includes this command.
    const { run } = await import('../run.js');
    return run([...argv, ...extra], io);
  },
});
