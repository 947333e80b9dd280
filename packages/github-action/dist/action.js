import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { actionInputs, InputProblem, runnerContext } from './action-inputs.js';
import { resolveGitScan } from './commit-range.js';
import { planFor, readEvent } from './event-plan.js';
import { GitClient } from './git-client.js';
import { jobSummary } from './job-summary.js';
import { leakAnnotations } from './leak-annotations.js';
import { emptySarif, leaksFromSarif } from './sarif-leaks.js';
import { annotation, writeOutputs } from './workflow-commands.js';
/**
 * The action's entry point, given the step's environment (GITHUB_*, RUNNER_TEMP, INPUT_*), its log stream and
 * a way to run the CLI. Returns the step's exit code: 0 clean (or leaks with `fail-on-leak: false`), 1 leaks,
 * 2 when the scan could not run. Outputs, the job summary and annotations are written in every case.
 */
export async function runAction(env, log, cli) {
    const context = runnerContext(env);
    const say = (line) => void log.write(`leakguard: ${line}\n`);
    try {
        const inputs = actionInputs(env, context.workspace);
        const invocation = await invocationFor(inputs, context, say);
        if (invocation.args === undefined)
            return await nothingToScan(inputs, context, invocation.description, log, cli, say);
        return await scan(inputs, context, invocation.args, invocation.description, log, cli, say);
    }
    catch (error) {
        if (!(error instanceof InputProblem))
            throw error;
        return fail(context, error.message, log);
    }
}
async function invocationFor(inputs, context, say) {
    const targets = inputs.targets;
    const mode = inputs.mode === 'auto' ? await detectMode(targets, context.workspace) : inputs.mode;
    if (inputs.mode === 'auto')
        say(`mode auto: ${mode}`);
    switch (mode) {
        case 'git':
            return gitInvocation(targets, context, say);
        case 'dir':
            return { args: ['dir', ...(targets.length === 0 ? ['.'] : targets)], description: `files in ${targets.join(', ') || 'the workspace'}` };
        case 'image':
        case 'logs':
            if (targets.length === 0)
                throw new InputProblem(`input target: mode ${mode} needs ${mode === 'image' ? 'an image (archive, OCI layout, name or registry reference)' : 'log files, directories or globs'}, one per line`);
            if (mode === 'logs' && inputs.baseline !== undefined)
                throw new InputProblem('input baseline: mode logs has no baseline (it reports each distinct secret once)');
            return { args: [mode, ...targets], description: `${mode === 'image' ? 'images' : 'logs'} ${targets.join(', ')}` };
        default:
            return mode;
    }
}
async function detectMode(targets, workspace) {
    if (targets.length > 1)
        return 'dir';
    return (await new GitClient(resolve(workspace, targets[0] ?? '.')).isRepository()) ? 'git' : 'dir';
}
async function gitInvocation(targets, context, say) {
    if (targets.length > 1)
        throw new InputProblem('input target: mode git scans one repository');
    const repo = targets[0] ?? '.';
    const git = new GitClient(resolve(context.workspace, repo));
    if (!(await git.isRepository()))
        throw new InputProblem(`${repo}: not a git repository (check it out with actions/checkout, or use mode: dir)`);
    const plan = planFor(context.eventName, readEvent(context.eventName, context.eventPath));
    const resolved = await resolveGitScan(plan, git, say);
    switch (resolved.kind) {
        case 'nothing':
            return { description: resolved.description };
        case 'history':
            return { args: ['git', repo], description: resolved.description };
        case 'range':
            return { args: ['git', repo, '--range', resolved.range], description: resolved.description };
        default:
            return resolved;
    }
}
async function scan(inputs, context, args, description, log, cli, say) {
    say(`scanning ${description}`);
    // The CLI writes into RUNNER_TEMP; the SARIF file is replaced only by a complete report, never by the
    // empty file a failed run leaves (an empty upload would close every open code-scanning alert).
    const raw = join(context.temp, `leakguard-${process.pid}-${Date.now()}.sarif`);
    const options = [...(inputs.config === undefined ? [] : ['--config', inputs.config]), ...(inputs.baseline === undefined ? [] : ['--baseline', inputs.baseline])];
    const command = [...args, ...options, '--format', 'sarif', '--output', raw];
    say(`running leakguard ${command.join(' ')}`);
    const result = await cli(command, context.workspace, log);
    if (result.exitCode !== 0 && result.exitCode !== 1) {
        rmSync(raw, { force: true });
        return fail(context, `leakguard exited with code ${result.exitCode}; the scan did not complete (see the log above)`, log);
    }
    const parsed = readReport(raw);
    rmSync(raw, { force: true });
    if (parsed === undefined)
        return fail(context, `leakguard exited with code ${result.exitCode} but wrote no readable SARIF report (see the log above)`, log);
    const { report, leaks } = parsed;
    mkdirSync(dirname(inputs.sarifFile), { recursive: true });
    writeFileSync(inputs.sarifFile, report);
    log.write(leakAnnotations(leaks, inputs.failOnLeak ? 'error' : 'warning', inputs.sarifFile));
    const shown = relative(context.workspace, inputs.sarifFile);
    summary(context, jobSummary(leaks, description, context, shown.startsWith('..') ? inputs.sarifFile : shown));
    outputs(context, { leaks: String(leaks.length), 'sarif-file': inputs.sarifFile, 'exit-code': String(result.exitCode) });
    say(`${leaks.length} leak${leaks.length === 1 ? '' : 's'} found; SARIF written to ${inputs.sarifFile}`);
    return leaks.length > 0 && inputs.failOnLeak ? 1 : 0;
}
async function nothingToScan(inputs, context, description, log, cli, say) {
    say(`nothing to scan: ${description}`);
    const version = await cli(['--version'], context.workspace, log).then((r) => (r.exitCode === 0 ? r.stdout.trim() : ''), () => '');
    mkdirSync(dirname(inputs.sarifFile), { recursive: true });
    writeFileSync(inputs.sarifFile, emptySarif(/^\d+\.\d+\.\d+/.test(version) ? version : '0.0.0', context.workspace));
    summary(context, `## leakguard: nothing to scan\n\n${description}\n`);
    outputs(context, { leaks: '0', 'sarif-file': inputs.sarifFile, 'exit-code': '0' });
    return 0;
}
function readReport(path) {
    try {
        const report = readFileSync(path, 'utf8');
        return { report, leaks: leaksFromSarif(report) };
    }
    catch {
        return undefined;
    }
}
function fail(context, message, log) {
    log.write(annotation('error', { title: 'leakguard' }, message));
    summary(context, `## leakguard: the scan did not run\n\n${message}\n`);
    outputs(context, { 'sarif-file': '', 'exit-code': '2' });
    return 2;
}
function summary(context, markdown) {
    if (context.summaryFile !== undefined)
        appendFileSync(context.summaryFile, `${markdown}\n`);
}
function outputs(context, values) {
    if (context.outputFile !== undefined)
        writeOutputs(context.outputFile, values);
}
