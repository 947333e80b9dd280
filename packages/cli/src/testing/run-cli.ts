import { PassThrough, Readable } from 'node:stream';
import type { CliIo, ExitCode } from '../io.js';
import { run } from '../run.js';

export interface CliResult {
  readonly exitCode: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured streams, as `leakguard <argv>` in `cwd` would. */
export async function runCli(
  argv: readonly string[],
  options: { cwd?: string; stdin?: string | Buffer; env?: Record<string, string | undefined>; signal?: AbortSignal; stderrIsTTY?: boolean } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdoutIsTTY: false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    signal: options.signal ?? new AbortController().signal,
  };
  const exitCode = await run(argv, io);
  return { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
