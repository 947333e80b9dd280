import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../packages/cli/src/testing/run-cli.js';
import { fakeGithubToken } from '../packages/scanner-core/src/testing/fake-tokens.js';

interface Report {
  findings: { rule: string; locationFingerprint: string; location: { path: string; line: number } }[];
}

const root = mkdtempSync(join(tmpdir(), 'leakguard-shard-'));
for (let d = 0; d < 5; d++) {
  mkdirSync(join(root, `dir${d}`));
  for (let f = 0; f < 8; f++) writeFileSync(join(root, `dir${d}`, `f${f}.env`), `A=1\nTOKEN=${fakeGithubToken(d * 100 + f)}\n`);
}

const read = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;
const keys = (r: Report): string[] => r.findings.map((f) => `${f.rule} ${f.location.path}:${f.location.line} ${f.locationFingerprint}`).sort();

/** A repository whose history holds 30 secrets over 10 commits (some later deleted). */
function historyRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'leakguard-shard-git-'));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' };
  const git = (...args: string[]): void => void execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: repo, env, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  for (let c = 0; c < 10; c++) {
    for (let f = 0; f < 3; f++) writeFileSync(join(repo, `c${c}f${f}.env`), `K=${fakeGithubToken(7000 + c * 10 + f)}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', `c${c}`);
    if (c % 3 === 2) {
      git('rm', '-q', `c${c}f0.env`);
      git('commit', '-q', '-m', `rm ${c}`);
    }
  }
  return repo;
}

function logDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakguard-shard-logs-'));
  for (let f = 0; f < 12; f++) {
    const lines = Array.from({ length: 50 }, (_, i) => (i % 17 === 3 ? `2026-11-27T10:00:${String(i).padStart(2, '0')}Z token=${fakeGithubToken(8000 + f * 50 + i)}` : `2026-11-27T10:00:00Z request ok ${i}`));
    writeFileSync(join(dir, `app-${f}.log`), `${lines.join('\n')}\n`);
  }
  return dir;
}

async function shardUnionEqualsWhole(argsFor: (extra: string[]) => string[], n: number, cwd: string, expected: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'leakguard-shard-out-'));
  await runCli([...argsFor(['-f', 'json', '-o', join(out, 'full.json')])], { cwd });
  const full = read(join(out, 'full.json'));
  expect(full.findings.length).toBe(expected);
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    parts.push(join(out, `s${i}.json`));
    await runCli(argsFor(['-f', 'json', '-o', join(out, `s${i}.json`), '--shard', `${i}/${n}`]), { cwd });
  }
  await runCli(['merge', ...parts, '-o', join(out, 'merged.json')], { cwd });
  expect(keys(read(join(out, 'merged.json')))).toEqual(keys(full));
}

describe('--shard I/N', () => {
  const repo = historyRepo();
  const logs = logDir();

  it.each([1, 2, 3, 4, 5])('git history: the merged union of %i shard reports equals the single-machine report', async (n) => {
    await shardUnionEqualsWhole((extra) => ['git', repo, '--no-group', ...extra], n, repo, 30);
  });

  it.each([1, 2, 3, 4, 5])('logs: the merged union of %i shard reports equals the single-machine report', async (n) => {
    await shardUnionEqualsWhole((extra) => ['logs', logs, ...extra], n, logs, 36);
  });

  it.each([1, 2, 3, 4, 5])('dir: the merged union of %i shard reports equals the single-machine report', async (n) => {
    await runCli(['dir', '.', '-f', 'json', '-o', 'full.json'], { cwd: root });
    const full = read(join(root, 'full.json'));
    expect(full.findings).toHaveLength(40);
    const parts: string[] = [];
    let total = 0;
    for (let i = 1; i <= n; i++) {
      const out = `shard-${n}-${i}.json`;
      await runCli(['dir', '.', '-f', 'json', '-o', out, '--shard', `${i}/${n}`], { cwd: root });
      total += read(join(root, out)).findings.length;
      parts.push(out);
    }
    expect(total).toBe(40); // disjoint: no finding in two shards
    const merged = await runCli(['merge', ...parts, '-o', `merged-${n}.json`], { cwd: root });
    expect(merged.exitCode).toBe(1);
    expect(keys(read(join(root, `merged-${n}.json`)))).toEqual(keys(full));
  });

  it('rejects a malformed shard with exit 2', async () => {
    const result = await runCli(['dir', '.', '--shard', '6/5'], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--shard 6/5: need 1 ≤ I ≤ N');
  });
});
