import yargs from 'yargs';
import { discardSpareWorkers, ScanError } from '@leakguard/scanner-core';
import { commands } from './commands/index.js';
import { closedOutput, type CliIo, type ExitCode } from './io.js';
import { leadingSwitches } from './scan-options.js';
import { VERSION } from './version.js';

/**
 * Parses argv, runs one command, and returns its exit code: 0 clean, 1 leaks, 2 usage/config/input
 * error (one line on stderr; the stack only with --debug). Never calls process.exit.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  // A reader gone from standard output (`leakguard rules list | head`) is an 'error' event that a command
  // writing without callbacks never sees (unheard, Node prints its stack trace). Scans name it themselves
  // (writingTo in run-scan.ts, exit 2); any other command ends with the same line.
  let stdoutFailure: Error | undefined;
  const onStdoutError = (error: Error): void => {
    stdoutFailure ??= error;
  };
  io.stdout.on('error', onStdoutError);
  try {
    const code = await runCommand(argv, io);
    // The error of a last write comes after it: an empty write's callback comes after theirs.
    await new Promise<void>((resolve) => io.stdout.write('', () => resolve()));
    if (stdoutFailure === undefined || code === 2) return code;
    io.stderr.write(`leakguard: ${closedOutput(undefined, stdoutFailure, 'output').message}\n`);
    return 2;
  } finally {
    io.stdout.off('error', onStdoutError);
    // Workers bin.js started early that no pool took (early-workers.ts).
    await discardSpareWorkers();
  }
}

async function runCommand(given: readonly string[], io: CliIo): Promise<ExitCode> {
  const argv = commandFirst(given, commands.map((c) => c.name));
  let exitCode: ExitCode | undefined;
  let failure: unknown;
  const debug = argv.includes('--debug');
  const parser = yargs([...argv])
    .scriptName('leakguard')
    .version(VERSION)
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces of internal errors' })
    .strict()
    .check(numbersAreNumbers, true)
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // Throwing stops yargs here: a usage error must never go on to run the command.
      failure = error ?? new UsageFailure(message);
      throw failure;
    });
  // Load only the named command (all of them when none is named, e.g. for --help or a typo).
  const named = commands.find((c) => c.name === argv.find((a) => !a.startsWith('-')));
  for (const entry of commands) {
    if (named !== undefined && entry !== named) {
      parser.command(entry.command, entry.describe);
      continue;
    }
    const command = await entry.load();
    parser.command({
      command: command.command as string | string[],
      describe: command.describe,
      builder: (y) => command.builder(y),
      handler: async (args) => {
        exitCode = await command.handler(args as never, io);
      },
    });
  }
  if (named !== undefined && !argv.some((a) => a === '--help' || a === '-h')) skipHelpCache(parser);
  let output = '';
  try {
    await parser.parseAsync([...argv], {}, (_err, _args, text) => {
      output = text;
    });
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) return report(failure, io, debug);
  if (output !== '') io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  return exitCode ?? 0;
}

class UsageFailure extends Error {}

/**
 * argv with the command name moved in front of the scanning commands' switches (SWITCHES), when only they
 * precede it: yargs knows them only inside each command, so before the name (`leakguard -q dir .`) it would
 * read the name as their value. `--debug`, known at the top level, may stand among them.
 */
export function commandFirst(argv: readonly string[], names: readonly string[]): string[] {
  const switches = new Set([...leadingSwitches(), '--debug', '--no-debug']);
  const at = argv.findIndex((a) => !switches.has(a));
  const name = argv[at];
  if (at <= 0 || name === undefined || !names.includes(name)) return [...argv];
  return [name, ...argv.slice(0, at), ...argv.slice(at + 1)];
}

/**
 * Every numeric option (sizes, counts, seconds, ratios; 0 means "no limit" where it means anything) must be a
 * number ≥ 0: yargs turns `--max-file-size 10MB` into NaN, which would otherwise fall back to a default
 * without a word.
 */
function numbersAreNumbers(args: Record<string, unknown>): true {
  for (const [key, value] of Object.entries(args)) {
    // yargs also lists each option under its camelCase name and its one-letter alias: name the --kebab one.
    if (typeof value !== 'number' || key.length < 2 || /[A-Z]/.test(key)) continue;
    if (Number.isNaN(value) || value < 0) throw new UsageFailure(`--${key} takes a number ≥ 0`);
  }
  return true;
}

/**
 * yargs renders the whole help text of a command before running its handler, in case the handler fails
 * later and help is wanted (~45 ms of a pre-commit scan). Failures here print one line and never help,
 * so when a command is named and help is not asked for, that render is skipped. Internal yargs API,
 * hence the guard: if it moves, the render simply happens again.
 */
function skipHelpCache(parser: unknown): void {
  const internal = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

function report(error: unknown, io: CliIo, debug: boolean): ExitCode {
  if (error instanceof UsageFailure) {
    io.stderr.write(`leakguard: ${error.message}\nRun 'leakguard --help' for usage.\n`);
  } else if (error instanceof ScanError) {
    io.stderr.write(`leakguard: ${error.message}\n`);
    if (debug && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`leakguard: error: ${message.split('\n')[0] ?? ''}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
  }
  return 2;
}
