import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, useHermeticGit } from '../../packages/scanner-core/src/testing/git-test-repo.js';
import { expectInputError, lg, places, report, scratch, token, warningLines } from './hostile-kit.js';

beforeAll(() => useHermeticGit());

/** Two commits: a.env (token 1) then b.env (token 2) and a clean c.txt. */
function twoCommits(): { repo: TestRepo; first: string; second: string } {
  const repo = TestRepo.create();
  const first = repo.commit('one', { 'a.env': `A=${token(1)}\n` });
  const second = repo.commit('two', { 'b.env': `B=${token(2)}\n`, 'c.txt': 'clean\n' });
  return { repo, first, second };
}

function overwrite(path: string, content: string | Buffer): void {
  chmodSync(path, 0o644);
  writeFileSync(path, content);
}

describe('hostile git repositories', () => {
  it('a corrupt loose blob is a warning naming blob and path; every other blob is still reported', async () => {
    const { repo } = twoCommits();
    const blob = repo.git('rev-parse', 'HEAD:b.env');
    overwrite(repo.looseObjectPath(blob), 'not zlib at all');
    const result = await lg(['git', repo.dir, '-f', 'json']);
    const warnings = [{ input: `blob ${blob} (b.env)`, message: 'object missing or corrupt in the repository; not scanned' }];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['a.env:1']);
    expect(result.exitCode).toBe(1);
  });

  it('a missing blob (partial mirror) is a warning; the scan goes on', async () => {
    const { repo } = twoCommits();
    const blob = repo.git('rev-parse', 'HEAD:a.env');
    rmSync(repo.looseObjectPath(blob));
    const result = await lg(['git', repo.dir, '-f', 'json']);
    const warnings = [{ input: `blob ${blob} (a.env)`, message: 'object missing or corrupt in the repository; not scanned' }];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['b.env:1']);
  });

  it('a missing tree of an old commit: history-incomplete warning, newer commits still reported', async () => {
    const { repo, first } = twoCommits();
    const tree = repo.git('rev-parse', `${first}^{tree}`);
    rmSync(repo.looseObjectPath(tree));
    const result = await lg(['git', repo.dir, '-f', 'json']);
    const warnings = report(result).summary.warnings;
    expect(warnings).toEqual([
      { input: repo.dir, message: `history incomplete: git log stopped (fatal: unable to read tree ${tree}); blobs below that point may be unscanned or lack a commit` },
    ]);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['a.env:1', 'b.env:1']);
    expect(result.exitCode).toBe(1);
  });

  it('a missing commit is an error: one line naming the repository and the object, exit 2', async () => {
    const { repo, first } = twoCommits();
    rmSync(repo.looseObjectPath(first));
    expectInputError(await lg(['git', repo.dir, '-f', 'json']), `${repo.dir}: git log failed: error: Could not read ${first}`);
  });

  it('a corrupt pack (bytes flipped in the middle) never leaks a stack: a warning or one error line, exit 1 or 2', async () => {
    const { repo } = twoCommits();
    repo.git('repack', '-adq');
    repo.git('prune');
    const packDir = join(repo.dir, '.git', 'objects', 'pack');
    const pack = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.pack')) ?? '');
    const bytes = readFileSync(pack);
    for (let i = 200; i < bytes.length - 40; i++) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
    overwrite(pack, bytes);
    const result = await lg(['git', repo.dir, '-f', 'json']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    for (const line of result.stderr.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^leakguard: /);
    if (result.exitCode === 2) expect(result.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    else expect(report(result).summary.warnings.length).toBeGreaterThan(0);
  });

  it('a .git that is a file pointing at the real git dir (a linked worktree) is scanned', async () => {
    const { repo } = twoCommits();
    const worktree = join(scratch('worktree'), 'wt');
    repo.git('worktree', 'add', '-q', worktree);
    expect(readFileSync(join(worktree, '.git'), 'utf8')).toMatch(/^gitdir: /);
    const result = await lg(['git', worktree, '-f', 'json']);
    expect(result.stderr).toBe('');
    expect(places(report(result))).toEqual(['a.env:1', 'b.env:1']);
  });

  it('a .git file with garbage in it is an error naming the input, exit 2', async () => {
    const dir = scratch('gitfile');
    writeFileSync(join(dir, '.git'), 'gitdir: /nonexistent/elsewhere\n');
    expectInputError(await lg(['git', dir, '-f', 'json']), `${dir}: not a git repository`);
  });

  it('dir mode treats a .git file as an ordinary small file (no crash, not followed)', async () => {
    const dir = scratch('gitfile-dir');
    writeFileSync(join(dir, '.git'), 'gitdir: /nonexistent/elsewhere\n');
    writeFileSync(join(dir, 'a.env'), `A=${token(1)}\n`);
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(report(result).summary.itemsScanned).toBe(2);
    expect(places(report(result))).toEqual(['a.env:1']);
  });

  it('a repository with 100,000 refs (packed-refs) is scanned; findings keep their commit', async () => {
    const { repo, first, second } = twoCommits();
    const lines = ['# pack-refs with: peeled fully-peeled sorted'];
    for (let i = 0; i < 100_000; i++) lines.push(`${i % 2 === 0 ? first : second} refs/tags/t${String(i).padStart(6, '0')}`);
    writeFileSync(join(repo.dir, '.git', 'packed-refs'), `${lines.join('\n')}\n`);
    expect(repo.git('for-each-ref', '--count=100001', '--format=x').split('\n')).toHaveLength(100_001);
    const result = await lg(['git', repo.dir, '-f', 'json', '--no-group']);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout) as { findings: { location: { path: string; commit?: string } }[] };
    expect(parsed.findings.map((f) => `${f.location.path}@${f.location.commit ?? ''}`).sort()).toEqual([`a.env@${first}`, `b.env@${second}`]);
  }, 120_000);

  it('a path that is not a repository, and one that does not exist, are errors naming the input', async () => {
    const dir = scratch('plain');
    mkdirSync(join(dir, 'sub'));
    expectInputError(await lg(['git', join(dir, 'sub'), '-f', 'json']), `${join(dir, 'sub')}: not a git repository`);
    expectInputError(await lg(['git', join(dir, 'nope'), '-f', 'json']), `${join(dir, 'nope')}: no such directory`);
  });
});
