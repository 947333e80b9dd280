import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
import { githubRulesConfig } from '../testing/github-rules-config.js';
import { runCli } from '../testing/run-cli.js';

const CONFIG = githubRulesConfig();

const BASELINE = '.leakguard-baseline.json';

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z', GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z' },
  });
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

interface Report {
  findings: { rule: string; redacted: string; fingerprint: string; location: { path: string; line: number }; occurrences: number }[];
  summary: { findings: number; baseline?: { entries: number; suppressed: number; stale: number; expired: number; staleEntries: { rule: string; path: string }[] } };
}

async function scanJson(cwd: string, ...argv: string[]): Promise<{ exitCode: number; report: Report; stderr: string }> {
  const result = await runCli([...argv, '-f', 'json', '-j', '1', '--config', CONFIG], { cwd });
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

interface Entry {
  path: string;
  rule: string;
  fingerprint: string;
  reason?: string;
  expires?: string;
}

function entries(root: string): Entry[] {
  return (JSON.parse(readFileSync(join(root, BASELINE), 'utf8')) as { entries: Entry[] }).entries;
}

describe('baseline over git history', () => {
  const t1 = fakeGithubToken(601);
  const t2 = fakeGithubToken(602, 'gho');
  const t3 = fakeGithubToken(603);
  const repo = mkdtempSync(join(tmpdir(), 'leakguard-baseline-git-'));
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, 'config/app.env', `APP=demo\nGITHUB_TOKEN=${t1}\n`);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'add config');
  const root = git(repo, 'rev-parse', 'HEAD').trim();
  write(repo, 'deploy/run.sh', `#!/bin/sh\ncurl -H "Authorization: token ${t2}" https://api.github.com\n`);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'deploy script');
  write(repo, 'config/app.env', `APP=demo\nREGION=eu\nGITHUB_TOKEN=${t1}\n`);
  git(repo, 'commit', '-q', '-am', 'region');

  it('creates a sorted baseline with one entry per secret and path, and re-creating it changes nothing', async () => {
    const created = await runCli(['baseline', 'create', 'git', '.', '-j', '1', '--config', CONFIG], { cwd: repo });
    expect(created.exitCode).toBe(0);
    expect(created.stderr).toMatch(/wrote 2 baseline entries/);
    const text = readFileSync(join(repo, BASELINE), 'utf8');
    expect(entries(repo).map((e) => [e.path, e.rule])).toEqual([
      ['config/app.env', 'github.pat-classic'],
      ['deploy/run.sh', 'github.oauth-token'],
    ]);
    expect(text.split('\n').filter((l) => l.includes('"fingerprint"'))).toHaveLength(2);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T|[0-9a-f]{40}/); // no timestamps, no commit ids
    expect(text).not.toContain(t1);
    await runCli(['baseline', 'create', 'git', '.', '-j', '1', '--config', CONFIG], { cwd: repo });
    expect(readFileSync(join(repo, BASELINE), 'utf8')).toBe(text);
    const { exitCode, report } = await scanJson(repo, 'git', '.', '--baseline', BASELINE);
    expect(exitCode).toBe(0);
    expect(report.summary.baseline).toMatchObject({ entries: 2, stale: 0, expired: 0 });
    expect(report.summary.baseline?.suppressed).toBeGreaterThanOrEqual(2);
  });

  it('survives a squash of the whole history (rebase -i style) and a line move', async () => {
    git(repo, 'reset', '-q', '--soft', root);
    git(repo, 'commit', '-q', '--amend', '-m', 'squashed');
    expect(git(repo, 'rev-list', '--all').trim().split('\n')).toHaveLength(1);
    write(repo, 'config/app.env', `# moved down\n\n\nAPP=demo\nREGION=eu\nGITHUB_TOKEN=${t1}\n`);
    git(repo, 'commit', '-q', '-am', 'move lines');
    const { exitCode, report } = await scanJson(repo, 'git', '.', '--baseline', BASELINE);
    expect(report.findings).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report.summary.baseline).toMatchObject({ stale: 0 });
  });

  it('reports a new secret on a baselined line, and only that', async () => {
    write(repo, 'config/app.env', `# moved down\n\n\nAPP=demo\nREGION=eu\nGITHUB_TOKEN=${t3}\n`);
    git(repo, 'commit', '-q', '-am', 'rotate token');
    const { exitCode, report } = await scanJson(repo, 'git', '.', '--baseline', BASELINE);
    expect(exitCode).toBe(1);
    expect(report.findings.map((f) => [f.rule, f.location.path, f.location.line])).toEqual([['github.pat-classic', 'config/app.env', 6]]);
    expect(report.findings[0]?.redacted.slice(-3)).toBe(t3.slice(-3));
  });

  it('reports the findings of an expired entry again', async () => {
    const text = readFileSync(join(repo, BASELINE), 'utf8').replace(
      /("rule":"github\.oauth-token","fingerprint":"[0-9a-f]+")/,
      '$1,"reason":"rotated in vault, history not rewritten yet","expires":"2000-01-01"',
    );
    writeFileSync(join(repo, BASELINE), text);
    const { exitCode, report } = await scanJson(repo, 'git', '.', '--baseline', BASELINE);
    expect(exitCode).toBe(1);
    expect(report.findings.map((f) => f.rule).sort()).toEqual(['github.oauth-token', 'github.pat-classic']);
    expect(report.summary.baseline).toMatchObject({ expired: 1 });
  });

  it('lists stale entries in the summary and prunes them, keeping reasons', async () => {
    // Rewrite history so the deploy script (and its token) never existed; t1 stays in the squashed commit.
    const text = readFileSync(join(repo, BASELINE), 'utf8').replace('"expires":"2000-01-01"', '"expires":"2999-01-01"');
    writeFileSync(join(repo, BASELINE), text.replace(/("rule":"github\.pat-classic","fingerprint":"[0-9a-f]+")/, '$1,"reason":"test fixture"'));
    git(repo, 'rm', '-q', 'deploy/run.sh');
    write(repo, 'config/app.env', `APP=demo\nGITHUB_TOKEN=${t1}\n`);
    git(repo, 'commit', '-q', '-am', 'drop script, back to the old token');
    git(repo, 'reset', '-q', '--soft', root);
    git(repo, 'commit', '-q', '--amend', '-m', 'squashed without the script');
    const scanned = await runCli(['git', '.', '--baseline', BASELINE, '-j', '1', '--no-color', '--config', CONFIG], { cwd: repo });
    expect(scanned.stdout).toMatch(/baseline \.leakguard-baseline\.json: 2 entries, \d+ finding\(s\) suppressed, 0 expired, 1 stale/);
    expect(scanned.stdout).toContain('github.oauth-token deploy/run.sh');
    const pruned = await runCli(['baseline', 'prune', 'git', '.', '-j', '1', '--config', CONFIG], { cwd: repo });
    expect(pruned.exitCode).toBe(0);
    expect(pruned.stderr).toContain('pruned 1 stale entry from .leakguard-baseline.json; 1 remain');
    expect(entries(repo)).toEqual([expect.objectContaining({ path: 'config/app.env', rule: 'github.pat-classic', reason: 'test fixture' })]);
    expect((await scanJson(repo, 'git', '.', '--baseline', BASELINE)).exitCode).toBe(0);
  });
});

describe('baseline over a working tree', () => {
  it('survives line moves, reports a moved file (the path is part of the identity) and rejects a bad file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leakguard-baseline-dir-'));
    const token = fakeGithubToken(611);
    write(root, 'a.txt', `token=${token}\n`);
    expect((await runCli(['baseline', 'create', '-j', '1', '--config', CONFIG], { cwd: root })).exitCode).toBe(0);
    write(root, 'a.txt', `\n\n\nfirst\ntoken=${token}\nagain=${token}\n`);
    expect((await scanJson(root, 'dir', '.', '--baseline', BASELINE)).exitCode).toBe(0);
    write(root, 'b.txt', `token=${token}\n`);
    const moved = await scanJson(root, 'dir', '.', '--baseline', BASELINE);
    expect(moved.report.findings.map((f) => f.location.path)).toEqual(['b.txt']);
    writeFileSync(join(root, 'bad.json'), '{\n  "version": 1,\n  "keyCheck": "x",\n  "entries": [\n    {"path": "a", "rule": "r", "fingerprint": "zz", "expires": "soon"}\n  ]\n}\n');
    const bad = await runCli(['dir', '.', '--baseline', 'bad.json', '-j', '1', '--config', CONFIG], { cwd: root });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('bad.json:5: entries[0]: fingerprint: must be hex');
    expect(bad.stderr).toContain('bad.json:5: entries[0]: expires: must be a date as YYYY-MM-DD');
    const otherKey = await runCli(['dir', '.', '--baseline', BASELINE, '-j', '1', '--config', CONFIG], { cwd: root, env: { LEAKGUARD_FINGERPRINT_KEY: 'private' } });
    expect(otherKey.exitCode).toBe(2);
    expect(otherKey.stderr).toMatch(/different fingerprint key/);
  });
});
