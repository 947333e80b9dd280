import type { Argv } from 'yargs';
import type { CliIo, ExitCode } from '../io.js';

/**
 * One CLI command. `builder` declares its options; `handler` returns the exit code.
 * Commands are registered in commands/index.ts; each lives in its own file.
 */
export interface Command<A = Record<string, unknown>> {
  readonly command: string | readonly string[];
  readonly describe: string;
  builder(yargs: Argv): Argv<A>;
  handler(args: A, io: CliIo): Promise<ExitCode>;
}

/** Erases a command's argument type for the registry. */
export function defineCommand<A>(command: Command<A>): Command {
  return command as unknown as Command;
}
