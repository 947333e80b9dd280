import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../finding.js';
import type { Origin } from '../../origin.js';
import { collectScan } from '../../testing/collect-scan.js';
import { fakeGithubToken } from '../../testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../testing/git-test-repo.js';
import { GitDiffSource } from './git-diff-source.js';

type DiffOrigin = Extract<Origin, { kind: 'git-diff' }>;

const repos: TestRepo[] = [];
const token = (seed: number): string => fakeGithubToken(400 + seed);
const line = (t: string): string => `GITHUB_TOKEN="${t}"\n`;
const BOB = { name: 'Bob Builder', email: 'bob@example.com' };

function newRepo(): TestRepo {
  const repo = TestRepo.create();
  repos.push(repo);
  return repo;
}

function diffOrigin(f: Finding): DiffOrigin {
  if (f.origin.kind !== 'git-diff') throw new Error(`expected a git-diff origin, got ${f.origin.kind}`);
  return f.origin;
}

/** What a finding says, compactly: secret seed check is done by value. */
function summary(f: Finding): { secret: string; path: string; line: number; commit: string | undefined } {
  return { secret: f.secret.reveal(), path: f.origin.path, line: f.location.line, commit: diffOrigin(f).commit };
}

async function range(repo: TestRepo, spec: string) {
  const source = new GitDiffSource(repo.dir, { kind: 'range', range: spec });
  const result = await collectScan([source]);
  return { ...result, source };
}

const staged = (repo: TestRepo) => collectScan([new GitDiffSource(repo.dir, { kind: 'staged' })]);

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('GitDiffSource --range', () => {
  it('scans only added lines, with new-file line numbers, commit and author', async () => {
    const repo = newRepo();
    repo.commit('base', { 'app.env': `A=1\n${line(token(1))}B=2\n` });
    repo.git('checkout', '-q', '-b', 'feature');
    const c1 = repo.commit('add token', { 'app.env': `A=1\n${line(token(1))}B=2\nC=3\n${line(token(2))}` }, BOB);
    const c2 = repo.commit('second file', { 'deploy/ci.yml': `steps:\n  - run: echo\n  - env: ${line(token(3))}` });
    const { findings, summary: s } = await range(repo, 'main..feature');
    expect(findings.map(summary)).toEqual([
      { secret: token(2), path: 'app.env', line: 5, commit: c1 },
      { secret: token(3), path: 'deploy/ci.yml', line: 3, commit: c2 },
    ]);
    expect(diffOrigin(findings[0]!)).toMatchObject({ author: 'Bob Builder', email: 'bob@example.com' });
    expect(s.itemsScanned).toBe(2);
  });

  it('starts from the merge base when BASE is not an ancestor of HEAD', async () => {
    const repo = newRepo();
    const fork = repo.commit('base', { 'README.md': 'hello\n' });
    repo.git('checkout', '-q', '-b', 'feature');
    const mine = repo.commit('feature work', { 'feature.env': line(token(4)) });
    repo.git('checkout', '-q', 'main');
    repo.commit('main moved on', { 'main.env': line(token(5)) });
    const { findings, source } = await range(repo, 'main..feature');
    expect(findings.map(summary)).toEqual([{ secret: token(4), path: 'feature.env', line: 1, commit: mine }]);
    expect(source.resolved?.from).toBe(fork);
  });

  it('reports lines from a merged base branch only where the merge itself added them', async () => {
    const repo = newRepo();
    repo.commit('base', { 'settings.txt': 'mode=base\n', 'other.txt': 'x\n' });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feature side', { 'settings.txt': 'mode=feature\n' });
    repo.git('checkout', '-q', 'main');
    repo.commit('main side', { 'settings.txt': `mode=main\n${line(token(6))}`, 'main.env': line(token(13)) });
    const mainTip = repo.git('rev-parse', 'HEAD');
    repo.git('checkout', '-q', 'feature');
    try {
      repo.git('merge', '-q', 'main', '-m', 'merge main');
    } catch {
      // conflict on settings.txt: resolve by writing a secret (an "evil merge")
    }
    // the kept main line is new only relative to the feature parent ("+ "): it is main's, not the merge's
    repo.write({ 'settings.txt': `mode=merged\n${line(token(6))}${line(token(7))}` });
    repo.git('add', 'settings.txt');
    const merge = repo.commit('merge main into feature', {});
    const { findings } = await range(repo, `${mainTip}..feature`);
    expect(findings.map(summary)).toEqual([{ secret: token(7), path: 'settings.txt', line: 3, commit: merge }]);
  });

  it('handles renames, deleted files, binary and UTF-16 files', async () => {
    const repo = newRepo();
    repo.commit('base', { 'old.env': `${line(token(8))}X=1\n`, 'gone.env': line(token(9)) });
    repo.git('mv', 'old.env', 'renamed.env');
    const edit = repo.commit('rename, edit, delete, add binaries', {
      'renamed.env': `${line(token(8))}X=1\n${line(token(10))}`,
      'gone.env': null,
      'blob.bin': Buffer.concat([Buffer.from([0, 0, 1, 2]), Buffer.from(line(token(11)))]),
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`x\n${line(token(12))}`, 'utf16le')]),
    });
    const { findings, summary: s } = await range(repo, 'HEAD~1..HEAD');
    expect(findings.map(summary)).toEqual([
      { secret: token(10), path: 'renamed.env', line: 3, commit: edit },
      { secret: token(12), path: 'utf16.txt', line: 2, commit: edit },
    ]);
    expect(s.skipped['binary']).toBe(1);
  });

  it('reads a range of 2,000 commits from one stream and attributes each added line', async () => {
    const repo = newRepo();
    const commits: string[] = [];
    let stream = '';
    for (let i = 1; i <= 2000; i++) {
      const content = i % 100 === 0 ? `n=${i}\n${line(token(1000 + i))}` : `n=${i}\n`;
      const message = `commit ${i}`;
      stream += `commit refs/heads/main\nmark :${i}\ncommitter Dev <dev@example.com> ${1_700_000_000 + i} +0000\ndata ${message.length}\n${message}\n`;
      if (i > 1) stream += `from :${i - 1}\n`;
      stream += `M 100644 inline file-${i % 7}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    }
    repo.fastImport(stream);
    for (const sha of repo.git('rev-list', '--reverse', 'main').split('\n')) commits.push(sha);
    const { findings } = await range(repo, `${commits[0]}..main`);
    expect(findings).toHaveLength(20);
    for (const f of findings) {
      const i = commits.indexOf(diffOrigin(f).commit ?? '') + 1;
      expect(i % 100).toBe(0);
      expect(f.secret.reveal()).toBe(token(1000 + i));
      expect(f.location.line).toBe(2);
      expect(f.origin.path).toBe(`file-${i % 7}.txt`);
    }
  });

  it('scans every commit of HEAD, root included, when BASE shares no history with it (and says so)', async () => {
    const repo = newRepo();
    const root = repo.commit('root', { 'root.env': line(token(14)) });
    repo.git('checkout', '-q', '--orphan', 'other');
    repo.git('rm', '-q', '-r', '--cached', '.');
    repo.commit('unrelated', { 'x.txt': 'x\n' });
    const { findings, summary: s, source } = await range(repo, 'other..main');
    expect(findings.map(summary)).toEqual([{ secret: token(14), path: 'root.env', line: 1, commit: root }]);
    expect(source.resolved?.from).toBeUndefined();
    expect(s.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/no common history/)]);
  });

  it('prepared ahead (range resolved and git log started while the engine builds) reads the same lines; a bad range fails when read', async () => {
    const repo = newRepo();
    repo.commit('base', { 'app.env': 'A=1\n' });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('leak', { 'app.env': `A=1\n${line(token(30))}` });
    const prepared = new GitDiffSource(repo.dir, { kind: 'range', range: 'main..feature' });
    prepared.prepare();
    const early = await collectScan([prepared]);
    expect(early.findings.map(summary)).toEqual((await range(repo, 'main..feature')).findings.map(summary));
    expect(early.findings).toHaveLength(1);
    const bad = new GitDiffSource(repo.dir, { kind: 'range', range: 'nope..feature' });
    bad.prepare();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the rejection settles before anything reads it
    await expect(collectScan([bad])).rejects.toThrow(/--range nope: no such commit/);
  });

  it('rejects a range that does not name commits', async () => {
    const repo = newRepo();
    repo.commit('one', { 'a.txt': 'a\n' });
    await expect(range(repo, 'nope..HEAD')).rejects.toThrow(/--range nope: no such commit/);
    await expect(range(repo, 'HEAD')).rejects.toThrow(/expected BASE\.\.HEAD/);
  });
});

describe('GitDiffSource --staged', () => {
  it('scans the index, not the working tree', async () => {
    const repo = newRepo();
    repo.commit('base', { 'app.env': 'A=1\n' });
    // staged: a leak; working tree: the leak removed again (an unstaged edit must not hide it)
    repo.write({ 'app.env': `A=1\n${line(token(20))}` });
    repo.git('add', 'app.env');
    repo.write({ 'app.env': 'A=1\n' });
    expect((await staged(repo)).findings.map((f) => [f.secret.reveal(), f.origin.path, f.location.line, diffOrigin(f).commit])).toEqual([
      [token(20), 'app.env', 2, undefined],
    ]);
    // staged: clean; working tree: a leak (not about to be committed, so not reported)
    repo.git('reset', '-q', 'app.env');
    repo.write({ 'other.env': line(token(21)), 'app.env': `A=1\n${line(token(22))}` });
    expect((await staged(repo)).findings).toEqual([]);
  });

  it('prepared ahead (git started while the engine builds) reads the same index; never read, it lets Node exit', async () => {
    const repo = newRepo();
    repo.commit('base', { 'app.env': 'A=1\n' });
    // Far more diff than a pipe holds, so an unread git blocks on its output.
    repo.write({ 'app.env': `A=1\n${line(token(26))}`, 'big.txt': 'filler line\n'.repeat(200_000) });
    repo.git('add', '-A');
    const source = new GitDiffSource(repo.dir, { kind: 'staged' });
    source.prepare();
    const prepared = await collectScan([source]);
    expect(prepared.findings.map((f) => [f.origin.path, f.location.line, f.secret.reveal()])).toEqual([['app.env', 2, token(26)]]);
    expect(prepared.findings.map(summary)).toEqual((await staged(repo)).findings.map(summary));
    const module = new URL('../../../dist/sources/git/git-diff-source.js', import.meta.url).href;
    const script = `import { GitDiffSource } from ${JSON.stringify(module)}; new GitDiffSource(${JSON.stringify(repo.dir)}, { kind: 'staged' }).prepare();`;
    const started = Date.now();
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('works before the first commit and with odd file names', async () => {
    const repo = newRepo();
    repo.write({ 'with space/a b.env': line(token(23)), 'new\nline.env': `x\n${line(token(24))}` });
    repo.git('add', '-A');
    const oid = execFileSync('git', ['-C', repo.dir, 'hash-object', '-w', '--stdin'], { input: line(token(25)) }).toString().trim();
    execFileSync('git', ['-C', repo.dir, 'update-index', '--add', '-z', '--index-info'], {
      input: Buffer.concat([Buffer.from(`100644 ${oid}\t`), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x65, 0x6e, 0x76, 0])]),
    });
    const { findings } = await staged(repo);
    expect(findings.map((f) => [f.origin.path, f.location.line, f.secret.reveal()]).sort()).toEqual(
      [
        ['caf\\xe9.env', 1, token(25)],
        ['new\nline.env', 2, token(24)],
        ['with space/a b.env', 1, token(23)],
      ].sort(),
    );
  });
});
