#!/usr/bin/env node
import { statSync } from 'node:fs';
import { interruptOf, isRelaunchedChild, relaunch, wantsRelaunch } from './relaunch.js';

// `leakguard --version` answers before anything heavy (yargs, RE2, the rule library) is loaded.
const argv = process.argv.slice(2);
const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { VERSION } = await import('./version.js');
  process.stdout.write(`${VERSION}\n`);
} else if (wantsRelaunch(argv, process.env, process.execArgv)) {
  process.exitCode = await relaunch(process.argv[1] ?? '', argv);
} else {
  // A relaunched long scan's workers start loading first, alongside the rest of the CLI (early-workers.ts).
  if (isRelaunchedChild(process.env)) {
    const { startEarlyWorkers } = (await import(bundled() ? './bundle/early-workers.js' : './early-workers.js')) as typeof import('./early-workers.js');
    startEarlyWorkers(argv, process.env);
  }
  const { run } = (await import(bundled() ? './bundle/run.js' : './run.js')) as typeof import('./run.js');
  const controller = new AbortController();
  // Interrupts come straight to this process (a signal) and, when it was relaunched, from the parent passing on
  // a signal sent to it (an IPC message, see relaunch.ts). A terminal's Ctrl-C reaches both, so one interrupt
  // may arrive once from each, however far apart when the scan's threads keep both cores busy. The first
  // stops reading and closes the report (partial). A second from the same side is a second interrupt: leave
  // anyway, by the signal's default action (not process.exit(), which waits for a thread stuck in a call such
  // as the open() of a FIFO nobody writes to), as also after 10 s.
  const received = { direct: 0, parent: 0 };
  const interrupt = (signal: NodeJS.Signals, from: keyof typeof received): void => {
    received[from]++;
    if (received[from] > 1) {
      for (const s of INTERRUPTS) process.removeAllListeners(s);
      process.kill(process.pid, signal);
      return;
    }
    if (controller.signal.aborted) return;
    controller.abort(signal);
    setTimeout(() => interrupt(signal, from), 10_000).unref();
  };
  for (const signal of INTERRUPTS) process.on(signal, () => interrupt(signal, 'direct'));
  if (isRelaunchedChild(process.env)) {
    process.on('message', (message: unknown) => {
      const signal = interruptOf(message);
      if (signal !== undefined) interrupt(signal, 'parent');
    });
    process.channel?.unref(); // the parent's channel must not keep this process alive
  }
  process.exitCode = await run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    signal: controller.signal,
  });
}

/**
 * Whether to run the bundle (scripts/bundle-cli.mjs: a few files to load instead of ~100 modules). Only a
 * bundle at least as new as every build of the modules it is made from: after a bare `tsc -b` (which
 * rewrites the build info of each package it compiles) they are newer, and run unbundled.
 */
function bundled(): boolean {
  const made = mtime('./bundle/run.js');
  if (made === undefined) return false;
  return ['./run.js', '../tsconfig.tsbuildinfo', '../../scanner-core/tsconfig.tsbuildinfo'].every((input) => (mtime(input) ?? 0) <= made);
}

function mtime(path: string): number | undefined {
  try {
    return statSync(new URL(path, import.meta.url)).mtimeMs;
  } catch {
    return undefined;
  }
}
