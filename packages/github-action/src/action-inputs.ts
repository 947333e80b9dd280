import { tmpdir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

export const MODES = ['auto', 'dir', 'git', 'image', 'logs'] as const;
export type Mode = (typeof MODES)[number];

/** The action's inputs, read from INPUT_* variables the way the runner sets them. */
export interface ActionInputs {
  readonly mode: Mode;
  /** Newline-separated targets (paths, image references); empty means the workspace. */
  readonly targets: readonly string[];
  readonly config?: string;
  readonly baseline?: string;
  readonly failOnLeak: boolean;
  /** Absolute path of the SARIF file to write. */
  readonly sarifFile: string;
  readonly version: string;
}

/** What the runner tells a step about the job (the GITHUB_* and RUNNER_* variables). */
export interface RunnerContext {
  readonly eventName: string;
  readonly eventPath?: string;
  readonly workspace: string;
  readonly outputFile?: string;
  readonly summaryFile?: string;
  readonly temp: string;
  readonly serverUrl: string;
  readonly repository?: string;
  /** The commit the workflow run is for (links for findings that have no commit of their own). */
  readonly sha?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A bad input: the step fails with this one line (exit code 2). */
export class InputProblem extends Error {}

/**
 * An input's value. The runner upper-cases the name and keeps dashes (`INPUT_FAIL-ON-LEAK`); the
 * underscore spelling is accepted too because some shells cannot export names with dashes.
 */
export function input(env: Env, name: string): string {
  const upper = name.toUpperCase().replace(/ /g, '_');
  return (env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, '_')}`] ?? '').trim();
}

/** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
export function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputProblem(`input ${name}: expected true or false, got '${value}'`);
}

export function runnerContext(env: Env): RunnerContext {
  const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd();
  return {
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    ...optional('eventPath', env['GITHUB_EVENT_PATH']),
    workspace,
    ...optional('outputFile', env['GITHUB_OUTPUT']),
    ...optional('summaryFile', env['GITHUB_STEP_SUMMARY']),
    temp: env['RUNNER_TEMP'] ?? tmpdir(),
    serverUrl: (env['GITHUB_SERVER_URL'] ?? 'https://github.com').replace(/\/+$/, ''),
    ...optional('repository', env['GITHUB_REPOSITORY']),
    ...optional('sha', env['GITHUB_SHA']),
  };
}

export function actionInputs(env: Env, workspace: string): ActionInputs {
  const mode = input(env, 'mode') || 'auto';
  if (!(MODES as readonly string[]).includes(mode)) throw new InputProblem(`input mode: expected one of ${MODES.join(', ')}, got '${mode}'`);
  const sarif = input(env, 'sarif-file') || 'leakguard.sarif';
  const config = input(env, 'config');
  const baseline = input(env, 'baseline');
  const targets = input(env, 'target')
    .split(/\r?\n/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  // A target is a path or an image reference, never a CLI option (say, from an interpolated branch name).
  const option = targets.find((t) => t.startsWith('-'));
  if (option !== undefined) throw new InputProblem(`input target: '${option}' looks like an option; targets are paths or image references`);
  return {
    mode: mode as Mode,
    targets,
    ...(config === '' ? {} : { config }),
    ...(baseline === '' ? {} : { baseline }),
    failOnLeak: booleanInput(env, 'fail-on-leak', true),
    sarifFile: isAbsolute(sarif) ? sarif : resolve(workspace, sarif),
    version: input(env, 'version'),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}
