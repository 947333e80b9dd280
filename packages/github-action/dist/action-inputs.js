import { tmpdir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
export const MODES = ['auto', 'dir', 'git', 'image', 'logs'];
/** A bad input: the step fails with this one line (exit code 2). */
export class InputProblem extends Error {
}
/**
 * An input's value. The runner upper-cases the name and keeps dashes (`INPUT_FAIL-ON-LEAK`); the
 * underscore spelling is accepted too because some shells cannot export names with dashes.
 */
export function input(env, name) {
    const upper = name.toUpperCase().replace(/ /g, '_');
    return (env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, '_')}`] ?? '').trim();
}
/** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
export function booleanInput(env, name, fallback) {
    const value = input(env, name);
    if (value === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new InputProblem(`input ${name}: expected true or false, got '${value}'`);
}
export function runnerContext(env) {
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
export function actionInputs(env, workspace) {
    const mode = input(env, 'mode') || 'auto';
    if (!MODES.includes(mode))
        throw new InputProblem(`input mode: expected one of ${MODES.join(', ')}, got '${mode}'`);
    const sarif = input(env, 'sarif-file') || 'leakguard.sarif';
    const config = input(env, 'config');
    const baseline = input(env, 'baseline');
    const targets = input(env, 'target')
        .split(/\r?\n/)
        .map((t) => t.trim())
        .filter((t) => t !== '');
    // A target is a path or an image reference, never a CLI option (say, from an interpolated branch name).
    const option = targets.find((t) => t.startsWith('-'));
    if (option !== undefined)
        throw new InputProblem(`input target: '${option}' looks like an option; targets are paths or image references`);
    return {
        mode: mode,
        targets,
        ...(config === '' ? {} : { config }),
        ...(baseline === '' ? {} : { baseline }),
        failOnLeak: booleanInput(env, 'fail-on-leak', true),
        sarifFile: isAbsolute(sarif) ? sarif : resolve(workspace, sarif),
        version: input(env, 'version'),
    };
}
function optional(key, value) {
    return (value === undefined || value === '' ? {} : { [key]: value });
}
