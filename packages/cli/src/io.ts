import type { Readable, Writable } from 'node:stream';
import { OutputError } from '@leakguard/scanner-core';

/** Everything the CLI touches of the outside world, so `run()` can be driven in-process by tests. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour by default). */
  readonly stdoutIsTTY: boolean;
  /** Whether stderr is a terminal (progress lines). */
  readonly stderrIsTTY: boolean;
  /** Aborted on SIGINT/SIGTERM by bin.ts. */
  readonly signal: AbortSignal;
}

export type ExitCode = 0 | 1 | 2 | 130 | 143;

/** A write error of a destination (`--output FILE`, or standard output when undefined), as one line naming it. */
export function closedOutput(output: string | undefined, error: Error, what: 'report' | 'output' = 'report'): OutputError {
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  const where = output === undefined ? 'standard output' : output;
  return new OutputError(code === 'EPIPE' ? `${where} was closed by its reader (EPIPE); the ${what} is incomplete` : `${where}: cannot write the ${what} (${code})`);
}
