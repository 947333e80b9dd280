import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../scanner-core/src/testing/git-test-repo.js';
import { schemaErrors } from '../../scanner-core/src/testing/sarif-validate.js';
import { pullRequestEvent, REPOSITORY } from './testing/event-payloads.js';
import { cloneOf, makeMergeRef, pullRequestCheckout } from './testing/git-remotes.js';
import { importCommits, type CommitSpec } from './testing/history-builder.js';
import { runStep, type StepResult } from './testing/simulated-runner.js';

const repos: TestRepo[] = [];
const PR_LEAK = fakeGithubToken(6301);
const MAIN_LEAK = fakeGithubToken(6302);
const OLD_LEAK = fakeGithubToken(6303);

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

function track(repo: TestRepo): TestRepo {
  repos.push(repo);
  return repo;
}

/**
 * A bare origin where main has 3 commits, a PR branches off with 3 commits (a leak in the first), and main
 * moves on by `mainAfterFork` commits (a leak in the first of them, which the PR must not be blamed for).
 */
function pullRequestOrigin(mainAfterFork: number): { origin: TestRepo; base: string; head: string; pr: string[] } {
  const origin = track(TestRepo.create({ bare: true }));
  const main = importCommits(origin.dir, 'main', undefined, [1, 2, 3].map((i): CommitSpec => ({ message: `m${i}`, files: { [`m${i}.txt`]: `${i}\n` } })));
  const pr = importCommits(origin.dir, 'feature', main[2], [
    { message: 'f1', files: { 'deploy/prod.env': `TOKEN=${PR_LEAK}\n` } },
    { message: 'f2', files: { 'f2.txt': '2\n' } },
    { message: 'f3', files: { 'f3.txt': '3\n' } },
  ]);
  const moved = importCommits(
    origin.dir,
    'main',
    undefined,
    Array.from({ length: mainAfterFork }, (_, i): CommitSpec => ({ message: `m${i + 4}`, files: i === 0 ? { 'main.env': `MAIN=${MAIN_LEAK}\n` } : { [`m${i + 4}.txt`]: 'x\n' } })),
  );
  const base = moved.at(-1) ?? '';
  const head = pr.at(-1) ?? '';
  makeMergeRef(origin, 11, base, head);
  return { origin, base, head, pr };
}

function sarifCommits(step: StepResult): unknown[] {
  const sarif = JSON.parse(readFileSync(step.outputs['sarif-file'] ?? '', 'utf8')) as { runs: { results: { properties: { commit?: string } }[] }[] };
  expect(schemaErrors(sarif)).toEqual([]);
  return sarif.runs[0]?.results.map((r) => r.properties.commit) ?? [];
}

describe('shallow checkouts', () => {
  it.each([
    ['the base branch has not moved far', 3],
    ['the base branch moved on by 40 commits', 40],
  ])('fetches and deepens a fetch-depth 1 PR checkout until the range is complete (%s)', async (_, mainAfterFork) => {
    const { origin, base, head, pr } = pullRequestOrigin(mainAfterFork);
    const ws = track(pullRequestCheckout(origin, 11, 1));
    expect(ws.git('rev-parse', '--is-shallow-repository')).toBe('true');
    expect(() => ws.git('cat-file', '-e', `${head}^{commit}`)).toThrow();

    const step = await runStep({ workspace: ws.dir, eventName: 'pull_request', event: pullRequestEvent({ number: 11, base, head, commits: 3 }) });

    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain(`fetched ${base.slice(0, 7)} and ${head.slice(0, 7)} (not in the checkout)`);
    if (mainAfterFork > 3) expect(step.stdout).toMatch(/shallow checkout: deepened to \d+ commits/);
    expect(step.stdout).toContain('pull request #11: 3 commits');
    expect(step.outputs['leaks']).toBe('1');
    expect(sarifCommits(step)).toEqual([pr[0]]);
    expect(step.stdout + step.summary).not.toContain(PR_LEAK);
  });

  it('fails with the fetch-depth to set when the history cannot be fetched', async () => {
    const { origin, base, head } = pullRequestOrigin(3);
    const ws = track(pullRequestCheckout(origin, 11, 1));
    ws.git('remote', 'set-url', 'origin', `file://${origin.dir}-gone`);
    const step = await runStep({ workspace: ws.dir, eventName: 'pull_request', event: pullRequestEvent({ number: 11, base, head, commits: 3 }) });
    expect(step.exitCode).toBe(2);
    expect(step.outputs).toEqual({ 'sarif-file': '', 'exit-code': '2' });
    const [error] = step.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(error).toMatch(/^::error title=leakguard::pull request #11: .*could not be fetched/);
    // HEAD is the merge commit: head is its parent (depth 2), the merge base 3 commits further.
    expect(error).toContain('Set `fetch-depth: 0` on actions/checkout');
    expect(error).toContain('this pull request has 3 commits: `fetch-depth: 5` is enough');
    expect(step.summary).toContain('`fetch-depth: 0`');
  });

  it('a scheduled run on a fetch-depth 1 checkout fetches the complete history and scans every blob once', async () => {
    const origin = track(TestRepo.create({ bare: true }));
    const [added = '', removed = ''] = importCommits(origin.dir, 'main', undefined, [
      { message: 'oops', files: { 'old.env': `OLD=${OLD_LEAK}\n` } },
      { message: 'remove', files: { 'old.env': null, 'README.md': '# clean\n' } },
    ]);
    const ws = track(cloneOf(origin, '--depth', '1'));
    const step = await runStep({ workspace: ws.dir, eventName: 'schedule', event: { schedule: '17 3 * * 1', repository: REPOSITORY } });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('shallow checkout: fetched the complete history of every branch from origin');
    expect(ws.git('rev-parse', '--is-shallow-repository')).toBe('false');
    expect(sarifCommits(step)).toEqual([added]);
    expect(step.summary).toContain(`[old.env:1](https://github.com/octo-org/widgets/blob/${added}/old.env#L1) (removed in \`${removed.slice(0, 7)}\`, still in history)`);
    expect(step.stdout + step.summary).not.toContain(OLD_LEAK);
  });
});
