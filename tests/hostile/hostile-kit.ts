import { execFileSync, spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { runCli, type CliResult } from '../../packages/cli/src/testing/run-cli.js';
import { githubRulesConfig } from '../../packages/cli/src/testing/github-rules-config.js';
import { fakeGithubToken } from '../../packages/scanner-core/src/testing/fake-tokens.js';

/** Shared plumbing of the hostile-input suite: scratch dirs, the CLI in-process and as a child, tokens. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const builtCli = join(repoRoot, 'packages/cli/dist/bin.js');

/** A config with only the GitHub rules: expectations do not move when the rule library grows. */
export const githubConfig = githubRulesConfig();

/** A fake GitHub token built at run time (no literal secret in this repository). */
export const token = (seed: number): string => fakeGithubToken(seed);

const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) {
    // Mode-000 leftovers would make rm fail for a non-root user; give them back first.
    spawnSync('chmod', ['-R', 'u+rwX', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A temp directory removed when the test file ends (world-readable, for runs as `nobody`). */
export function scratch(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `leakguard-hostile-${name}-`));
  chmodSync(dir, 0o755);
  scratchDirs.push(dir);
  return dir;
}

/** Commands that take the shared scan options (`logs` has its own set, without --jobs). */
const WITH_JOBS = new Set(['dir', 'git', 'image', 'stdin']);

/** `leakguard <argv> -c <github rules> -j1` in-process. */
export function lg(argv: readonly string[], options: Parameters<typeof runCli>[1] = {}): Promise<CliResult> {
  return runCli([...argv, '-c', githubConfig, ...(WITH_JOBS.has(argv[0] ?? '') ? ['-j', '1'] : []), '--no-color'], options);
}

/** The JSON report of a run with `-f json`. */
export interface JsonReport {
  findings: { rule: string; occurrences?: number; location: { path: string; line: number; column: number }; locations?: { path: string; line: number }[] }[];
  summary: {
    findings: number;
    itemsScanned: number;
    bytesScanned: number;
    skipped: Record<string, number>;
    warnings: { input: string; message: string }[];
    partial: boolean;
  };
}

export function report(result: CliResult): JsonReport {
  return JSON.parse(result.stdout) as JsonReport;
}

/** `path:line` of each finding place, sorted (grouped reports list every place). */
export function places(r: JsonReport): string[] {
  return r.findings.flatMap((f) => (f.locations ?? [f.location]).map((l) => `${l.path}:${l.line}`)).sort();
}

/** The stderr lines `run-scan` prints for these warnings. */
export function warningLines(warnings: readonly { input: string; message: string }[]): string {
  return warnings.map((w) => `leakguard: warning: ${w.input}: ${w.message}\n`).join('');
}

/**
 * An input error: exit 2, exactly one stderr line naming the input, and (run with `-f json`) a closed,
 * valid report marked partial whose summary says why the scan stopped.
 */
export function expectInputError(result: CliResult, message: string): void {
  expect(result.stderr).toBe(`leakguard: ${message}\n`);
  expect(result.exitCode).toBe(2);
  const summary = report(result).summary;
  expect(summary.partial).toBe(true);
  expect(summary.warnings.at(-1)?.message).toBe(`scan stopped: ${message}`);
}

let built = false;
/** The CLI built to dist/ (incremental: about a second when nothing changed). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync('npx', ['tsc', '-b', 'packages/scanner-core', 'packages/cli'], { cwd: repoRoot, stdio: 'pipe' });
  built = true;
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** All of stdout, or with `countStdout` only its last 64 KiB. */
  readonly stdout: string;
  readonly stderr: string;
  /** Newlines and bytes seen on stdout. */
  readonly stdoutLines: number;
  readonly stdoutBytes: number;
}

/** The built CLI as a child process, optionally wrapped (setpriv, /usr/bin/time), stdin fed by another command. */
export function lgChild(
  argv: readonly string[],
  options: {
    cwd?: string;
    wrap?: readonly string[];
    stdinFrom?: readonly string[];
    onSpawn?: (pid: number) => void;
    onStdout?: (bytes: number) => void;
    timeoutMs?: number;
    /** Count stdout instead of keeping it (reports of a million findings). */
    countStdout?: boolean;
    /** Its own process group (its pid is the group id), as a shell job in a terminal is. */
    detached?: boolean;
  } = {},
): Promise<ChildRun> {
  ensureBuilt();
  const jobs = WITH_JOBS.has(argv[0] ?? '') ? ['-j', '1'] : [];
  const command = [...(options.wrap ?? []), process.execPath, builtCli, ...argv, '-c', githubConfig, ...jobs, '--no-color'];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] ?? 'node', command.slice(1), {
      cwd: options.cwd ?? repoRoot,
      stdio: [options.stdinFrom === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
      detached: options.detached === true,
    }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    const feeder = options.stdinFrom === undefined ? undefined : spawn(options.stdinFrom[0] ?? 'true', options.stdinFrom.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    if (feeder !== undefined && child.stdin !== null) {
      child.stdin.on('error', () => undefined); // the CLI may stop reading early (a limit): EPIPE is expected
      feeder.stdout.pipe(child.stdin);
    }
    let out: Buffer[] = [];
    const err: Buffer[] = [];
    let stdoutLines = 0;
    let stdoutBytes = 0;
    child.stdout.on('data', (b: Buffer) => {
      stdoutBytes += b.length;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) stdoutLines++;
      out.push(b);
      if (options.countStdout === true && out.length > 1) out = [Buffer.concat(out).subarray(-64 * 1024)];
      options.onStdout?.(stdoutBytes);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      feeder?.kill('SIGKILL');
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutLines, stdoutBytes });
    });
  });
}

/** Peak RSS in KiB from GNU time's `-f %M` line (written last on stderr). */
export function peakRssKiB(stderr: string): number {
  const match = /PEAK_RSS_KIB=(\d+)\s*$/.exec(stderr);
  if (match === null) throw new Error(`no peak RSS line in: ${stderr.slice(-200)}`);
  return Number(match[1]);
}
export const timeWrap = ['/usr/bin/time', '-f', 'PEAK_RSS_KIB=%M'];
