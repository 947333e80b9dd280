#!/usr/bin/env node
import { statSync } from 'node:fs';
import { isRelaunchedChild, relaunch, wantsRelaunch } from './relaunch.js';

// `leakguard --version` answers before anything heavy (yargs, RE2, the rule library) is loaded.
const argv = process.argv.slice(2);
/** A second SIGINT/SIGTERM within this time of the first is the same one delivered twice (see below). */
const REPEAT_WINDOW_MS = 1000;
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
  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // First signal: stop reading and close the report (partial). If that cannot finish (a child process
      // gone wrong, an open() of a FIFO nobody writes to) or the signal comes again, leave anyway: by the
      // signal's own default action, not process.exit(), which waits for a thread stuck in such a call.
      const leave = (): void => {
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
      };
      // A repeat within a second is the same interrupt delivered twice (a terminal's Ctrl-C reaches this
      // process both directly and through a relaunching parent, see relaunch.ts). The parent's copy can lag by
      // more than 200 ms when the scan's threads keep both cores busy: a 200 ms window then took it for a
      // second Ctrl-C.
      if (controller.signal.aborted) {
        if (Date.now() - firstSignalAt > REPEAT_WINDOW_MS) leave();
        return;
      }
      firstSignalAt = Date.now();
      controller.abort(signal);
      setTimeout(leave, 10_000).unref();
    });
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
