import type { Readable, Writable } from 'node:stream';

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
