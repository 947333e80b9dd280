/**
 * How many matching workers a scan runs: one place for the pools (run-scan.ts, the logs command) and for the
 * guess that starts them before the arguments are parsed (expectedWorkers in relaunch.ts).
 */

/**
 * Cores a source keeps busy itself, so its pool runs that many workers fewer than `--jobs`: a full history's
 * git processes (cat-file, log), an image's unpacking on the main thread (commands/git.ts and image.ts say
 * what was measured).
 */
export const SOURCE_THREADS = { history: 1, image: 1 } as const;

/** Workers for `jobs` (already a whole number ≥ 1): none for one job (this thread matches), else at least one. */
export function poolWorkers(jobs: number, sourceThreads = 0): number {
  return jobs <= 1 ? 0 : Math.max(1, jobs - sourceThreads);
}
