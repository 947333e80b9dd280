import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../../scanner-core/src/testing/git-test-repo.js';
import { runCli } from '../testing/run-cli.js';

const repos: TestRepo[] = [];
const TOKEN = fakeGithubToken(601);
const STAGED = fakeGithubToken(602);

function newRepo(): TestRepo {
  const repo = TestRepo.create();
  repos.push(repo);
  return repo;
}

interface JsonLocation {
  readonly path: string;
  readonly line: number;
  readonly commit?: string;
  readonly author?: string;
  readonly deletedIn?: string;
  readonly source: string;
}

function locations(stdout: string): JsonLocation[] {
  const report = JSON.parse(stdout) as { findings: { locations?: JsonLocation[]; location?: JsonLocation }[] };
  return report.findings.flatMap((f) => f.locations ?? (f.location === undefined ? [] : [f.location]));
}

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('leakguard git', () => {
  it('scans history, attributes findings to commits, says when a secret was deleted, never prints it', async () => {
    const repo = newRepo();
    const added = repo.commit('add', { 'deploy.env': `TOKEN=${TOKEN}\n` }, { name: 'Alice', email: 'alice@example.com' });
    const removed = repo.commit('remove', { 'deploy.env': null });
    const result = await runCli(['git', repo.dir, '--format', 'json']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(locations(result.stdout)).toEqual([
      expect.objectContaining({ source: 'git-blob', path: 'deploy.env', line: 1, commit: added, author: 'Alice', deletedIn: removed }),
    ]);
    const text = await runCli(['git', '.', '--no-color'], { cwd: repo.dir });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain(`deletedIn=${removed}`);
  });

  it('scans a range and the index', async () => {
    const repo = newRepo();
    repo.commit('base', { 'a.txt': 'a\n' });
    const leak = repo.commit('leak', { 'a.txt': `a\nTOKEN=${TOKEN}\n` });
    const ranged = await runCli(['git', '--range', 'HEAD~1..HEAD', '--format', 'json'], { cwd: repo.dir });
    expect(ranged.exitCode).toBe(1);
    expect(locations(ranged.stdout)).toEqual([expect.objectContaining({ source: 'git-diff', path: 'a.txt', line: 2, commit: leak })]);

    expect((await runCli(['git', '--staged'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.write({ 'b.txt': `x\nKEY=${STAGED}\n` });
    repo.git('add', 'b.txt');
    const staged = await runCli(['git', '--staged', '--format', 'json'], { cwd: repo.dir });
    expect(staged.exitCode).toBe(1);
    expect(locations(staged.stdout)).toEqual([expect.objectContaining({ source: 'git-diff', path: 'b.txt', line: 2 })]);
  });

  it.each([
    [['--staged', '--range', 'a..b'], /--staged and --range cannot be combined/],
    [['--staged', '--branch', 'main'], /--branch select history commits; they do not apply to --staged/],
    [['--max-commits', '0'], /--max-commits must be a positive integer/],
    [['--range', 'nope..HEAD'], /--range nope: no such commit/],
    [['/no/such/repository'], /no such directory/],
    [['a.txt'], /a\.txt: not a git repository \(a file, not a directory\)/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const repo = newRepo();
    repo.commit('one', { 'a.txt': 'a\n' });
    const result = await runCli(['git', ...args], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('leakguard hook', () => {
  it('installs, refuses a foreign hook without --force, and uninstalls only its own', async () => {
    const repo = newRepo();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const installed = await runCli(['hook', 'install'], { cwd: repo.dir });
    expect(installed).toMatchObject({ exitCode: 0, stdout: `leakguard: pre-commit hook installed: ${hook}\n` });
    expect(readFileSync(hook, 'utf8')).toContain('git --staged');
    expect((await runCli(['hook', 'uninstall'], { cwd: repo.dir })).exitCode).toBe(0);
    expect(existsSync(hook)).toBe(false);

    repo.write({ '.git/hooks/pre-commit': '#!/bin/sh\nexit 0\n' });
    const refused = await runCli(['hook', 'install', repo.dir]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/not written by leakguard exists; rerun with --force/);
    expect((await runCli(['hook', 'uninstall', repo.dir])).stdout).toMatch(/was not written by leakguard; left in place/);
    expect((await runCli(['hook', 'install', repo.dir, '--force'])).exitCode).toBe(0);
    expect((await runCli(['hook', 'uninstall', repo.dir])).stdout).toMatch(/previous hook was restored/);
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });
});
