import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../../cli/src/run.js';
import { runAction } from '../action.js';
import type { LeakguardCli } from '../leakguard-cli.js';
import { parseOutputs } from '../workflow-commands.js';

export interface SimulatedStep {
  /** The workspace (GITHUB_WORKSPACE): the checked-out repository. */
  readonly workspace: string;
  readonly eventName: string;
  readonly event?: object;
  /** Action inputs by their action.yml names (`fail-on-leak`), set as the runner does (`INPUT_FAIL-ON-LEAK`). */
  readonly inputs?: Readonly<Record<string, string>>;
  readonly sha?: string;
}

export interface StepResult {
  readonly exitCode: number;
  /** The step log: annotations and the action's own lines. */
  readonly stdout: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly env: Record<string, string>;
}

/** The inputs' defaults as action.yml declares them (the composite action passes every input to the script). */
export const ACTION_DEFAULTS: Readonly<Record<string, string>> = {
  mode: 'auto',
  target: '',
  config: '',
  baseline: '',
  'fail-on-leak': 'true',
  'sarif-file': 'leakguard.sarif',
  version: '',
};

/** The environment a hosted runner gives a step, with its files in a fresh RUNNER_TEMP-like directory. */
export function runnerEnv(step: SimulatedStep): Record<string, string> {
  const runner = mkdtempSync(join(tmpdir(), 'leakguard-runner-'));
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: step.eventName,
    GITHUB_WORKSPACE: step.workspace,
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
    RUNNER_TEMP: join(runner, 'temp'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/widgets',
    GITHUB_SHA: step.sha ?? '0123456789abcdef0123456789abcdef01234567',
  };
  mkdirSync(env['RUNNER_TEMP'] ?? '', { recursive: true });
  writeFileSync(env['GITHUB_OUTPUT'] ?? '', '');
  writeFileSync(env['GITHUB_STEP_SUMMARY'] ?? '', '');
  if (step.event !== undefined) {
    env['GITHUB_EVENT_PATH'] = join(runner, 'event.json');
    writeFileSync(env['GITHUB_EVENT_PATH'], JSON.stringify(step.event, null, 2));
  }
  for (const [name, value] of Object.entries({ ...ACTION_DEFAULTS, ...step.inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/**
 * The CLI run in-process (`run` from packages/cli), with its stderr into the step log. Scans use one
 * matching thread: the test machine's cores are shared, and results are identical for any --jobs.
 */
export const inProcessCli: LeakguardCli = async (args, cwd, log) => {
  const stdout = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  const stderr = new PassThrough();
  stderr.on('data', (b: Buffer) => log.write(b));
  const argv = ['dir', 'git', 'image'].includes(args[0] ?? '') ? [...args, '--jobs', '1'] : [...args];
  const exitCode = await run(argv, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    cwd,
    env: process.env,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    signal: new AbortController().signal,
  });
  return { exitCode, stdout: Buffer.concat(out).toString('utf8') };
};

/** Runs the action's entry point in-process as a hosted runner would run the step. */
export async function runStep(step: SimulatedStep): Promise<StepResult> {
  const env = runnerEnv(step);
  const log = new PassThrough();
  const lines: Buffer[] = [];
  log.on('data', (b: Buffer) => lines.push(b));
  const exitCode = await runAction(env, log, inProcessCli);
  return {
    exitCode,
    stdout: Buffer.concat(lines).toString('utf8'),
    outputs: parseOutputs(readFileSync(env['GITHUB_OUTPUT'] ?? '', 'utf8')),
    summary: readFileSync(env['GITHUB_STEP_SUMMARY'] ?? '', 'utf8'),
    env,
  };
}
