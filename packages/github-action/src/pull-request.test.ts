import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../scanner-core/src/testing/git-test-repo.js';
import { schemaErrors } from '../../scanner-core/src/testing/sarif-validate.js';
import { pullRequestEvent } from './testing/event-payloads.js';
import { importCommits, type CommitSpec } from './testing/history-builder.js';
import { runStep, type StepResult } from './testing/simulated-runner.js';

const repos: TestRepo[] = [];
const LEAK = fakeGithubToken(6001);
const BASE_ONLY_LEAK = fakeGithubToken(6002);
const MALLORY = { name: 'Mallory Dev', email: 'mallory@example.com' };

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

/** main with two commits, a feature branch from it, and main moving on (with a leak only main has). */
function pullRequestRepo(feature: readonly CommitSpec[]): { repo: TestRepo; base: string; head: string; featureCommits: string[] } {
  const repo = TestRepo.create();
  repos.push(repo);
  const main = importCommits(repo.dir, 'main', undefined, [
    { message: 'init', files: { 'README.md': '# widgets\n', 'config/app.env': 'MODE=prod\n' } },
    { message: 'main work', files: { 'src/app.js': 'export const a = 1;\n' } },
  ]);
  const featureCommits = importCommits(repo.dir, 'feature', main[1], feature);
  const moved = importCommits(repo.dir, 'main', undefined, [{ message: 'main moves on', files: { 'ops/legacy.env': `TOKEN=${BASE_ONLY_LEAK}\n` } }]);
  repo.git('checkout', '-q', '-f', 'feature');
  return { repo, base: moved[0] ?? '', head: featureCommits.at(-1) ?? '', featureCommits };
}

function sarifOf(step: StepResult): { runs: { results: { ruleId: string; properties: Record<string, unknown>; locations: unknown[] }[] }[] } {
  return JSON.parse(readFileSync(step.outputs['sarif-file'] ?? '', 'utf8')) as never;
}

function expectNoSecret(step: StepResult, ...secrets: string[]): void {
  const everything = step.stdout + step.summary + JSON.stringify(step.outputs) + readFileSync(step.outputs['sarif-file'] || '/dev/null', 'utf8');
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe('pull_request', () => {
  it('scans every commit of a 300-commit PR from the merge base and finds the leak in commit 1', async () => {
    const feature: CommitSpec[] = [{ message: 'add deploy config', files: { 'config/deploy.env': `DEPLOY_TOKEN=${LEAK}\n` }, author: MALLORY }];
    for (let i = 2; i <= 300; i++) feature.push({ message: `step ${i}`, files: { [`notes/step-${i % 17}.txt`]: `step ${i}\n` } });
    const { repo, base, head, featureCommits } = pullRequestRepo(feature);
    const first = featureCommits[0] ?? '';

    const step = await runStep({ workspace: repo.dir, eventName: 'pull_request', event: pullRequestEvent({ number: 7, base, head, commits: 300 }) });

    expect(step.exitCode).toBe(1);
    expect(step.outputs).toEqual({ leaks: '1', 'sarif-file': join(repo.dir, 'leakguard.sarif'), 'exit-code': '1' });
    expect(step.stdout).toContain('pull request #7: 300 commits');
    expect(step.stdout).toMatch(/not an ancestor .* merge base/);
    const errors = step.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(`^::error file=config/deploy\\.env,line=1,endLine=1,col=14,endColumn=\\d+,title=leakguard%3A github\\.pat-classic::.* added in ${first.slice(0, 7)} by Mallory Dev`),
      ),
    ]);
    expect(step.summary).toContain('## leakguard: 1 leak found');
    expect(step.summary).toContain(`[config/deploy.env:1](https://github.com/octo-org/widgets/blob/${first}/config/deploy.env#L1)`);
    expect(step.summary).toContain(`[\`${first.slice(0, 7)}\`](https://github.com/octo-org/widgets/commit/${first})`);
    expect(step.summary).toContain('Mallory Dev');
    const sarif = sarifOf(step);
    expect(schemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.properties['commit'], r.properties['source']])).toEqual([['github.pat-classic', first, 'git-diff']]);
    expectNoSecret(step, LEAK, BASE_ONLY_LEAK);
  });

  it('passes a clean PR: exit 0, no annotations, an empty but valid SARIF', async () => {
    const { repo, base, head } = pullRequestRepo([
      { message: 'docs', files: { 'docs/usage.md': 'Set TOKEN from the CI secret store.\n' } },
      { message: 'code', files: { 'src/b.js': 'export const b = process.env.TOKEN;\n' } },
    ]);
    const step = await runStep({ workspace: repo.dir, eventName: 'pull_request', event: pullRequestEvent({ number: 8, base, head, commits: 2 }) });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toEqual({ leaks: '0', 'sarif-file': join(repo.dir, 'leakguard.sarif'), 'exit-code': '0' });
    expect(step.stdout).not.toMatch(/^::(error|warning)/m);
    expect(step.summary).toContain('## leakguard: no leaks found');
    expect(step.summary).toContain('pull request #8: 2 commits');
    const sarif = sarifOf(step);
    expect(schemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]?.results).toEqual([]);
    expectNoSecret(step, BASE_ONLY_LEAK);
  });

  it('annotates at most 50 leaks, then one summary line, escaping the file name; warnings with fail-on-leak false', async () => {
    const tokens = Array.from({ length: 60 }, (_, i) => fakeGithubToken(6100 + i));
    const path = 'conf/a,b:c%d.env';
    const { repo, base, head } = pullRequestRepo([{ message: 'many', files: { [path]: tokens.map((t, i) => `T${i}=${t}`).join('\n') + '\n' } }]);
    const event = pullRequestEvent({ number: 9, base, head, commits: 1 });

    const failing = await runStep({ workspace: repo.dir, eventName: 'pull_request', event });
    expect(failing.exitCode).toBe(1);
    expect(failing.outputs['leaks']).toBe('60');
    const errors = failing.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(51);
    expect(errors[0]).toMatch(/^::error file=conf\/a%2Cb%3Ac%25d\.env,line=1,/);
    expect(errors[50]).toMatch(/^::error title=leakguard::10 more leaks not annotated \(50 shown\)/);
    expect(failing.summary.split('\n').filter((l) => l.startsWith('| `github.'))).toHaveLength(60);
    expect(failing.summary).toContain('(https://github.com/octo-org/widgets/blob/');
    expect(failing.summary).toContain('/conf/a%2Cb%3Ac%25d.env#L60)');
    expectNoSecret(failing, ...tokens);

    const warning = await runStep({ workspace: repo.dir, eventName: 'pull_request', event, inputs: { 'fail-on-leak': 'false', 'sarif-file': 'reports/leaks.sarif' } });
    expect(warning.exitCode).toBe(0);
    expect(warning.outputs).toEqual({ leaks: '60', 'sarif-file': join(repo.dir, 'reports/leaks.sarif'), 'exit-code': '1' });
    expect(warning.stdout).not.toMatch(/^::error/m);
    expect(warning.stdout.split('\n').filter((l) => l.startsWith('::warning'))).toHaveLength(51);
  });

  it('fails with exit code 2 and writes no SARIF when the scan cannot run', async () => {
    const { repo, base, head } = pullRequestRepo([{ message: 'x', files: { 'x.txt': 'x\n' } }]);
    const event = pullRequestEvent({ number: 10, base, head, commits: 1 });
    const badConfig = await runStep({ workspace: repo.dir, eventName: 'pull_request', event, inputs: { config: 'no-such-config.yaml', 'sarif-file': 'bad.sarif' } });
    expect(badConfig.exitCode).toBe(2);
    expect(badConfig.outputs).toEqual({ 'sarif-file': '', 'exit-code': '2' });
    expect(badConfig.stdout).toMatch(/no-such-config\.yaml/);
    expect(badConfig.stdout).toMatch(/^::error title=leakguard::leakguard exited with code 2/m);
    expect(() => readFileSync(join(repo.dir, 'bad.sarif'))).toThrow();
    expect(badConfig.summary).toContain('## leakguard: the scan did not run');

    const badInput = await runStep({ workspace: repo.dir, eventName: 'pull_request', event, inputs: { 'fail-on-leak': 'yes' } });
    expect(badInput.exitCode).toBe(2);
    expect(badInput.stdout).toContain("::error title=leakguard::input fail-on-leak: expected true or false, got 'yes'");

    const noPayload = await runStep({ workspace: repo.dir, eventName: 'pull_request', event: { action: 'opened' } });
    expect(noPayload.exitCode).toBe(2);
    expect(noPayload.stdout).toContain('pull_request event: the payload has no pull_request object');
  });
});
