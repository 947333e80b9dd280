import { poolWorkers, SOURCE_THREADS } from './pool-size.js';

/**
 * Long scans run in a child Node started with `--single-threaded-gc`, a V8 setting only a new process can
 * take (setting it at run time aborts): garbage is collected on the allocating thread instead of on helper
 * threads, which on a machine with few cores compete with the matching workers (typescript-eslint's 2.6 GB
 * history on 2 cores: 14.2 → 11.8 s; images −6 %). Costs one Node start (~50 ms), so only commands whose input
 * is usually large relaunch (see `wantsRelaunch`).
 */
export function wantsRelaunch(argv: readonly string[], env: NodeJS.ProcessEnv, execArgv: readonly string[]): boolean {
  if (isRelaunchedChild(env) || execArgv.includes(GC_FLAG)) return false;
  const command = commandOf(argv);
  if (command === 'image' || command === 'logs') return true;
  // Full history only: the pre-commit (--staged) and pull-request (--range) scans are small and start-up bound.
  return command === 'git' && !argv.some((a) => a === '--staged' || a === '--range' || a.startsWith('--range='));
}

/**
 * The V8 flags the child starts with. An image scan's main thread also gets an initial old generation of
 * 64 MB: it allocates ~1.2 GB of Buffers per 700 MB of layers (reads, gunzip output, worker batches), and V8
 * counts Buffer memory allocated since the last full collection against an old-generation limit it sizes
 * from the live heap (~10 MB here), so it ran a full collection every ~30–60 MB of Buffers: 12–19 of them,
 * 250–390 ms of the main thread; with the larger start, 2 (image bench 3.36 → 3.0–3.2 s, same peak RSS).
 * Git history and logs reuse their chunk memory (byte-ring.ts) and gained nothing but RSS from it.
 *
 * The child optimizes JS later (V8's interrupt budget 4× its default). It runs an isolate per thread (the
 * main thread and the workers), and TurboFan compiling and recompiling each one's warm functions (a deopt on every
 * path first taken after optimizing: radixSegments and unescapeJson 10–20 times each in a log scan) took ~0.9 s
 * of CPU for expressjs/express's history and ~1.6 s for the 1 GB bench log, on 2 cores; with the larger
 * budget, functions are optimized once they have seen more of their paths (bench log: 1.6 → 1.3 s of
 * compiling). Interleaved runs, medians: express 1.66 → 1.50 s (7), the generated history 1.28 → 1.20 s (7),
 * image 3.05 → 2.82 s (5), logs .gz 6.10 → 5.76 s (5); typescript-eslint and vuejs/core within noise.
 *
 * History and image scans keep the main thread's young generation small (2 MB semi-spaces; V8 grows them to
 * 16 MB on a busy thread): what it allocates is short-lived (parsed records, chunk views, messages), so more
 * frequent scavenges cost nothing measurable, and peak RSS drops by 20–35 MB (typescript-eslint 290 → 267 MB,
 * vuejs/core 249 → 226, express 194 → 160, the image 244 → 210; the same wall times in interleaved runs). A log
 * scan's main thread gained nothing from it (208 → 221 MB).
 */
export function relaunchFlags(argv: readonly string[]): string[] {
  const flags = [GC_FLAG, EXPOSE_GC_FLAG, INTERRUPT_BUDGET_FLAG];
  const command = commandOf(argv);
  if (command === 'image') return [...flags, IMAGE_OLD_SPACE_FLAG, SEMI_SPACE_FLAG];
  return command === 'git' ? [...flags, SEMI_SPACE_FLAG] : flags;
}

/**
 * How many matching workers the relaunched child's scan will start first, guessed from its arguments before
 * they are parsed, so that they can load while the CLI's modules, command line, config and rules are
 * (prestartWorkers, early-workers.ts), sized as the pools are (pool-size.ts). A wrong guess costs only time: a
 * spare left over is ended, a missing worker is started when the pool needs it.
 */
export function expectedWorkers(argv: readonly string[], env: NodeJS.ProcessEnv, cores: number): number {
  if (!isRelaunchedChild(env)) return 0;
  const jobs = jobsOf(argv) ?? cores;
  const command = commandOf(argv);
  if (command === 'git') return poolWorkers(jobs, SOURCE_THREADS.history);
  if (command === 'image') return poolWorkers(jobs, SOURCE_THREADS.image);
  return command === 'logs' ? poolWorkers(jobs) : 0;
}

/** Whether this process is the child a relaunch started. */
export function isRelaunchedChild(env: NodeJS.ProcessEnv): boolean {
  return env[RELAUNCHED] !== undefined;
}

function jobsOf(argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const option = /^(?:--jobs|-j)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (option === null) continue;
    const value = Number(option[1] ?? argv[i + 1]);
    return Number.isFinite(value) ? Math.max(1, Math.floor(value)) : undefined;
  }
  return undefined;
}

function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/**
 * Runs the same command in the child and ends as it ended: its exit code, or the signal that ended it.
 * Signals sent to this process are passed on as IPC messages, not signals: Ctrl-C reaches both processes, and
 * the child counts the two copies as one interrupt by where each came from (bin.ts), whatever their delay.
 */
export async function relaunch(script: string, argv: readonly string[]): Promise<number> {
  // Loaded here, not with bin.js: every other start (`--version`, a pre-commit scan) does without it.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...relaunchFlags(argv), ...process.execArgv, script, ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAUNCHED]: '1' },
  });
  const forward = (signal: NodeJS.Signals): void => {
    // SIGHUP (the terminal gone) is passed on as itself; the child has no handler for it.
    if (signal === 'SIGHUP' || !child.connected) child.kill(signal);
    else child.send({ [INTERRUPT_MESSAGE]: signal } satisfies InterruptMessage);
  };
  for (const signal of SIGNALS) process.on(signal, forward);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', () => resolve([2, null]));
    child.once('exit', (c, s) => resolve([c, s]));
  });
  for (const s of SIGNALS) process.removeListener(s, forward);
  if (signal !== null) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the signal's default action ends us first
  }
  return code ?? 2;
}

const GC_FLAG = '--single-threaded-gc';
/** Lets a scan run minor collections itself (see YoungGarbage in scanner-core). */
const EXPOSE_GC_FLAG = '--expose-gc';
const IMAGE_OLD_SPACE_FLAG = '--initial-old-space-size=64';
const INTERRUPT_BUDGET_FLAG = '--interrupt-budget=270336';
const SEMI_SPACE_FLAG = '--max-semi-space-size=2';
const RELAUNCHED = 'LEAKGUARD_RELAUNCHED';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const INTERRUPT_MESSAGE = 'leakguardInterrupt';
type InterruptMessage = { readonly [INTERRUPT_MESSAGE]: NodeJS.Signals };

/** The signal a message from the relaunching parent passes on (see relaunch), if it is one. */
export function interruptOf(message: unknown): 'SIGINT' | 'SIGTERM' | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const signal = (message as Partial<InterruptMessage>)[INTERRUPT_MESSAGE];
  return signal === 'SIGINT' || signal === 'SIGTERM' ? signal : undefined;
}
