/**
 * Long scans run in a child Node started with `--single-threaded-gc`, a V8 setting only a new process can
 * take (setting it at run time aborts): garbage is collected on the allocating thread instead of on helper
 * threads, which on a machine with few cores compete with the matching workers (typescript-eslint's 2.6 GB
 * history on 2 cores: 14.2 → 11.8 s; images −6 %). Costs one Node start (~50 ms), so only commands whose input
 * is usually large relaunch (see `wantsRelaunch`).
 */
export function wantsRelaunch(argv: readonly string[], env: NodeJS.ProcessEnv, execArgv: readonly string[]): boolean {
  if (env[RELAUNCHED] !== undefined || execArgv.includes(GC_FLAG)) return false;
  const command = argv.find((a) => !a.startsWith('-'));
  if (command === 'image' || command === 'logs') return true;
  // Full history only: the pre-commit (--staged) and pull-request (--range) scans are small and start-up bound.
  return command === 'git' && !argv.some((a) => a === '--staged' || a === '--range' || a.startsWith('--range='));
}

/**
 * Runs the same command in the child and ends as it ended: its exit code, or the signal that ended it.
 * Signals sent to this process are passed on; the child's handler ignores a repeat that arrives at once, so
 * Ctrl-C (which the terminal sends to both) still counts as one interrupt.
 */
export async function relaunch(script: string, argv: readonly string[]): Promise<number> {
  // Loaded here, not with bin.js: every other start (`--version`, a pre-commit scan) does without it.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [GC_FLAG, EXPOSE_GC_FLAG, ...process.execArgv, script, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, [RELAUNCHED]: '1' },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
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
const RELAUNCHED = 'LEAKGUARD_RELAUNCHED';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
