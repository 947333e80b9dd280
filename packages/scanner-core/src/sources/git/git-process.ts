import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Socket } from 'node:net';
import { InputError } from '../../errors.js';

/**
 * Options every git call gets: porcelain defaults that would change the bytes we parse are pinned (quoting,
 * colour, prefixes, external diff drivers), messages are untranslated, and nothing may prompt or take an
 * optional lock (a scan must never block a concurrent `git commit`).
 */
const PINNED_CONFIG = [
  '-c', 'core.quotePath=false',
  '-c', 'color.ui=false',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'log.showSignature=false',
  '-c', 'core.pager=cat',
];

function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LC_ALL: 'C',
    LANGUAGE: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
  };
}

export interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs a short git command to completion (rev-parse, merge-base, config). Output is buffered. */
export function runGit(repo: string, args: readonly string[], signal?: AbortSignal): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', repo, ...PINNED_CONFIG, ...args], {
      env: gitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal === undefined ? {} : { signal }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', (error) => reject(gitMissing(error)));
    child.once('close', (code) => resolve({ code: code ?? 128, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Runs a git command that must succeed; a failure becomes a one-line InputError naming the repository. */
export async function gitOutput(repo: string, label: string, args: readonly string[], signal?: AbortSignal): Promise<string> {
  const result = await runGit(repo, args, signal);
  if (result.code !== 0) throw new InputError(`${label}: git ${args[0] ?? ''} failed: ${firstLine(result.stderr)}`);
  return result.stdout.toString('utf8').trim();
}

/** A long-running git process whose stdout is parsed as a stream. */
export interface GitStream {
  readonly stdout: Readable;
  readonly stdin: Writable | null;
  /** Resolves when the process exits: its exit code (signal deaths map to 128+) and the start of stderr. */
  readonly exited: Promise<{ readonly code: number; readonly stderr: string }>;
  /** Ends the process early (an abandoned scan); idempotent. */
  kill(): void;
  /** Lets the process and its pipes keep Node running again after `spawnGit(…, { unref: true })`. */
  ref(): void;
}

/** `unref`: the process and its pipes do not keep Node running until `ref()` (started ahead of use, see Source.prepare). */
export function spawnGit(repo: string, args: readonly string[], options: { readonly stdin?: boolean; readonly unref?: boolean } = {}): GitStream {
  const child: ChildProcessByStdio<Writable | null, Readable, Readable> = spawn('git', ['-C', repo, ...PINNED_CONFIG, ...args], {
    env: gitEnv(),
    stdio: [options.stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += b.toString('utf8');
  });
  // A write to a process that already died must not crash the scan: its exit status reports the problem.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<{ code: number; stderr: string }>((resolve) => {
    child.once('error', (error) => resolve({ code: 127, stderr: gitMissing(error).message }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal === null ? 128 : 128 + 15), stderr }));
  });
  // A child's pipes are sockets; Node types them as plain streams.
  const handles: readonly { ref(): void; unref(): void }[] = [child, child.stdout as unknown as Socket, child.stderr as unknown as Socket];
  if (options.unref === true) for (const handle of handles) handle.unref();
  return {
    stdout: child.stdout,
    stdin: child.stdin,
    exited,
    ref: () => {
      for (const handle of handles) handle.ref();
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** The first meaningful line of git's stderr, for one-line error messages. */
export function firstLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? lines[0] ?? 'no error message';
}

function gitMissing(error: Error): Error {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? new InputError('git is not installed or not on PATH') : error;
}
