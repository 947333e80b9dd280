import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../scanner-core/src/testing/git-test-repo.js';
import { schemaErrors } from '../../scanner-core/src/testing/sarif-validate.js';
import { pushEvent, ZEROS } from './testing/event-payloads.js';
import { cloneOf } from './testing/git-remotes.js';
import { importCommits } from './testing/history-builder.js';
import { runStep, type StepResult } from './testing/simulated-runner.js';

const repos: TestRepo[] = [];
const OLD = fakeGithubToken(6201);
const NEW = fakeGithubToken(6202);
const REWRITTEN = fakeGithubToken(6203);
const ALICE = { name: 'Alice Liddell', email: 'alice@example.com' };

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

function track(repo: TestRepo): TestRepo {
  repos.push(repo);
  return repo;
}

/** A bare origin: main with an old leak, and a feature branch from it with two commits. */
function origin(): { origin: TestRepo; main: string; feature: string[] } {
  const bare = track(TestRepo.create({ bare: true }));
  const [main = ''] = importCommits(bare.dir, 'main', undefined, [{ message: 'legacy', files: { 'legacy.env': `OLD=${OLD}\n`, 'README.md': '# widgets\n' } }]);
  const feature = importCommits(bare.dir, 'feature', main, [
    { message: 'feature config', files: { 'feature.env': `NEW=${NEW}\n` }, author: ALICE },
    { message: 'feature code', files: { 'src/f.js': 'export {};\n' } },
  ]);
  return { origin: bare, main, feature };
}

function commitsOf(step: StepResult): unknown[] {
  const sarif = JSON.parse(readFileSync(step.outputs['sarif-file'] ?? '', 'utf8')) as { runs: { results: { properties: { commit?: string } }[] }[] };
  expect(schemaErrors(sarif)).toEqual([]);
  return sarif.runs[0]?.results.map((r) => r.properties.commit) ?? [];
}

function expectNoSecret(step: StepResult): void {
  for (const secret of [OLD, NEW, REWRITTEN]) expect(step.stdout + step.summary).not.toContain(secret);
}

describe('push', () => {
  it('a new branch: scans the commits not on the default branch (fetching it when the checkout lacks it)', async () => {
    const { origin: bare, feature } = origin();
    const ws = track(cloneOf(bare, '--single-branch', '--branch', 'feature'));
    expect(() => ws.git('rev-parse', '--verify', '-q', 'origin/main')).toThrow();
    const step = await runStep({ workspace: ws.dir, eventName: 'push', event: pushEvent({ ref: 'refs/heads/feature', before: ZEROS, after: feature[1] ?? '', commits: feature }) });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['leaks']).toBe('1');
    expect(step.stdout).toContain('fetched main from origin (the default branch)');
    expect(step.stdout).toContain('push to feature: new branch: commits not on main: 2 commits');
    expect(commitsOf(step)).toEqual([feature[0]]);
    expect(step.summary).toContain('Alice Liddell');
    expectNoSecret(step);
  });

  it('a new branch at the tip of the default branch: nothing to scan', async () => {
    const { origin: bare, main } = origin();
    const ws = track(cloneOf(bare, '--branch', 'main'));
    const step = await runStep({ workspace: ws.dir, eventName: 'push', event: pushEvent({ ref: 'refs/heads/release', before: ZEROS, after: main }) });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toEqual({ leaks: '0', 'sarif-file': `${ws.dir}/leakguard.sarif`, 'exit-code': '0' });
    expect(step.stdout).toContain('nothing to scan');
    expect(commitsOf(step)).toEqual([]);
  });

  it('a fast-forward push: scans before..after only', async () => {
    const { origin: bare, feature } = origin();
    const [later = ''] = importCommits(bare.dir, 'feature', undefined, [{ message: 'more', files: { 'later.env': `LATER=${REWRITTEN}\n` } }]);
    const ws = track(cloneOf(bare, '--branch', 'feature'));
    const step = await runStep({ workspace: ws.dir, eventName: 'push', event: pushEvent({ ref: 'refs/heads/feature', before: feature[1] ?? '', after: later, commits: [later] }) });
    expect(step.exitCode).toBe(1);
    expect(commitsOf(step)).toEqual([later]);
    expectNoSecret(step);
  });

  it('BASE == HEAD: nothing to scan, exit 0, an empty valid SARIF', async () => {
    const { origin: bare, feature } = origin();
    const ws = track(cloneOf(bare, '--branch', 'feature'));
    const head = feature[1] ?? '';
    const step = await runStep({ workspace: ws.dir, eventName: 'push', event: pushEvent({ ref: 'refs/heads/feature', before: head, after: head }) });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toEqual({ leaks: '0', 'sarif-file': `${ws.dir}/leakguard.sarif`, 'exit-code': '0' });
    expect(step.stdout).toContain(`nothing to scan: push to feature: BASE == HEAD (${head.slice(0, 7)})`);
    expect(step.summary).toContain('## leakguard: nothing to scan');
    expect(commitsOf(step)).toEqual([]);
  });

  it('a force-push whose `before` is not an ancestor: scans from the merge base', async () => {
    const { origin: bare, main, feature } = origin();
    const ws = track(cloneOf(bare, '--branch', 'feature'));
    const rewritten = forcePush(bare, main);
    ws.git('fetch', '-q', 'origin');
    const step = await runStep({ workspace: ws.dir, eventName: 'push', event: pushEvent({ ref: 'refs/heads/feature', before: feature[1] ?? '', after: rewritten, forced: true }) });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain(`${(feature[1] ?? '').slice(0, 7)} is not an ancestor of ${rewritten.slice(0, 7)}`);
    expect(step.stdout).toContain(`scanning from their merge base ${main.slice(0, 7)}`);
    expect(commitsOf(step)).toEqual([rewritten]);
    expectNoSecret(step);
  });

  it('a force-push whose `before` is gone everywhere: scans the commits not on the default branch', async () => {
    const { origin: bare, main, feature } = origin();
    const rewritten = forcePush(bare, main);
    bare.git('reflog', 'expire', '--expire=now', '--all');
    bare.git('gc', '-q', '--prune=now');
    expect(() => bare.git('cat-file', '-e', feature[1] ?? '')).toThrow();
    const ws = track(cloneOf(bare, '--single-branch', '--branch', 'feature'));
    const step = await runStep({ workspace: ws.dir, eventName: 'push', event: pushEvent({ ref: 'refs/heads/feature', before: feature[1] ?? '', after: rewritten, forced: true }) });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain(`the previous tip ${(feature[1] ?? '').slice(0, 7)} cannot be fetched (force-push?)`);
    expect(commitsOf(step)).toEqual([rewritten]);
  });
});

/** Rewrites `feature` in the bare origin to one new commit on `main` (a force-push), returning it. */
function forcePush(bare: TestRepo, main: string): string {
  const [rewritten = ''] = importCommits(bare.dir, 'rewrite', main, [{ message: 'rewritten', files: { 'rewritten.env': `REWRITTEN=${REWRITTEN}\n` } }]);
  bare.git('update-ref', 'refs/heads/feature', rewritten);
  bare.git('update-ref', '-d', 'refs/heads/rewrite');
  return rewritten;
}
