import { execFileSync } from 'node:child_process';
import { mkdtempSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import type { Finding } from '../../finding.js';
import type { Origin } from '../../origin.js';
import { collectScan } from '../../testing/collect-scan.js';
import { fakeGithubToken } from '../../testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../testing/git-test-repo.js';
import { GitHistorySource } from './git-history-source.js';

type BlobOrigin = Extract<Origin, { kind: 'git-blob' }>;

const repos: TestRepo[] = [];
const SECRET = fakeGithubToken(301);
const OTHER = fakeGithubToken(302);
const line = (token: string): string => `GITHUB_TOKEN="${token}"\n`;

function newRepo(options: { bare?: boolean } = {}): TestRepo {
  const repo = TestRepo.create(options);
  repos.push(repo);
  return repo;
}

function blobOrigin(f: Finding): BlobOrigin {
  if (f.origin.kind !== 'git-blob') throw new Error(`expected a git-blob origin, got ${f.origin.kind}`);
  return f.origin;
}

async function history(repo: TestRepo | string, options: ConstructorParameters<typeof GitHistorySource>[1] = {}) {
  return collectScan([new GitHistorySource(typeof repo === 'string' ? repo : repo.dir, options)]);
}

function uniqueBlobs(repo: TestRepo, revs = '--all'): number {
  return repo.git('rev-list', '--objects', '--filter=object:type=blob', revs).split('\n').filter((l) => l.includes(' ')).length;
}

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('GitHistorySource', () => {
  it('finds a secret that was committed and deleted later, and says which commit deleted it', async () => {
    const repo = newRepo();
    const added = repo.commit('add config', { 'config/app.env': `# settings\n${line(SECRET)}` }, { name: 'Alice', email: 'alice@example.com' });
    const deleted = repo.commit('remove config', { 'config/app.env': null });
    repo.commit('unrelated', { 'README.md': 'hello\n' });
    const { findings, summary } = await history(repo);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f?.secret.reveal()).toBe(SECRET);
    expect(f?.location.line).toBe(2);
    expect(blobOrigin(f!)).toMatchObject({ path: 'config/app.env', commit: added, author: 'Alice', email: 'alice@example.com', deletedIn: deleted });
    expect(blobOrigin(f!).date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(summary.warnings).toEqual([]);
  });

  it('scans a blob committed at 50 places once and reports one finding per place', async () => {
    const repo = newRepo();
    const commits: string[] = [];
    for (let i = 0; i < 50; i++) commits.push(repo.commit(`service ${i}`, { [`svc-${i}/.env`]: line(SECRET), 'counter.txt': `${i}\n` }));
    const { findings, summary } = await history(repo);
    expect(findings).toHaveLength(50);
    expect(new Set(findings.map((f) => blobOrigin(f).commit))).toEqual(new Set(commits));
    expect(new Set(findings.map((f) => f.origin.path))).toEqual(new Set(commits.map((_, i) => `svc-${i}/.env`)));
    expect(new Set(findings.map((f) => blobOrigin(f).blob)).size).toBe(1);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(1);
    expect(new Set(findings.map((f) => f.locationFingerprint)).size).toBe(50);
    // every unique blob handed to the engine exactly once: 1 secret blob + 50 counter versions
    expect(summary.itemsScanned).toBe(uniqueBlobs(repo));
    expect(summary.itemsScanned).toBe(51);
  });

  it('attributes a renamed secret to the commit that added it and to the rename', async () => {
    const repo = newRepo();
    const added = repo.commit('add', { 'old-name.txt': line(SECRET) });
    repo.git('mv', 'old-name.txt', 'new name.txt');
    const renamed = repo.commit('rename', {});
    const { findings, summary } = await history(repo);
    expect(summary.itemsScanned).toBe(1);
    const places = findings.map((f) => blobOrigin(f)).map((o) => ({ path: o.path, commit: o.commit, deletedIn: o.deletedIn }));
    expect(places).toEqual([
      { path: 'old-name.txt', commit: added, deletedIn: renamed },
      { path: 'new name.txt', commit: renamed, deletedIn: undefined },
    ]);
  });

  it('skips binary blobs but transcodes and scans UTF-16 ones', async () => {
    const repo = newRepo();
    const binary = Buffer.concat([Buffer.from([0, 1, 2, 3, 0, 0x89]), Buffer.from(line(SECRET)), Buffer.alloc(64)]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line(OTHER), 'utf16le')]);
    repo.commit('blobs', { 'image.bin': binary, 'notes-utf16.txt': utf16 });
    const { findings, summary } = await history(repo);
    expect(findings.map((f) => [f.origin.path, f.secret.reveal()])).toEqual([['notes-utf16.txt', OTHER]]);
    expect(summary.skipped['binary']).toBe(1);
  });

  it('attributes a secret written while resolving a merge to the merge commit', async () => {
    const repo = newRepo();
    repo.commit('base', { 'settings.txt': 'mode=base\n' });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feature side', { 'settings.txt': 'mode=feature\n' });
    repo.git('checkout', '-q', 'main');
    repo.commit('main side', { 'settings.txt': 'mode=main\n' });
    try {
      repo.git('merge', '-q', 'feature', '-m', 'merge');
    } catch {
      // conflict expected: resolve it by writing a secret
    }
    repo.write({ 'settings.txt': `mode=merged\n${line(SECRET)}` });
    repo.git('add', 'settings.txt');
    const merge = repo.commit('merge feature', {});
    expect(repo.git('rev-list', '--parents', '-n1', 'HEAD').split(' ')).toHaveLength(3);
    const { findings } = await history(repo);
    expect(findings.map((f) => [blobOrigin(f).commit, f.origin.path, f.location.line])).toEqual([[merge, 'settings.txt', 2]]);
  });

  it('scans an orphan branch with all refs, and leaves it out with --branch main', async () => {
    const repo = newRepo();
    repo.commit('main', { 'a.txt': 'clean\n' });
    repo.git('checkout', '-q', '--orphan', 'gh-pages');
    repo.git('rm', '-q', '-r', '--cached', '.');
    const orphan = repo.commit('orphan', { 'site/config.js': line(SECRET) });
    repo.git('checkout', '-q', '-f', 'main');
    const all = await history(repo);
    expect(all.findings.map((f) => blobOrigin(f).commit)).toEqual([orphan]);
    const mainOnly = await history(repo, { branch: 'main' });
    expect(mainOnly.findings).toEqual([]);
  });

  it('finds a secret in a commit reachable only from a tag', async () => {
    const repo = newRepo();
    repo.commit('base', { 'a.txt': 'clean\n' });
    const tagged = repo.commit('release', { 'release.env': line(SECRET) });
    repo.git('tag', '-a', 'v1.0', '-m', 'release');
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    expect(repo.git('branch', '--contains', tagged)).toBe('');
    const { findings } = await history(repo);
    expect(findings.map((f) => [blobOrigin(f).commit, f.origin.path])).toEqual([[tagged, 'release.env']]);
  });

  it('works on a bare clone and on a shallow clone', async () => {
    const repo = newRepo();
    const first = repo.commit('one', { 'one.env': line(SECRET) });
    repo.commit('two', { 'two.txt': 'clean\n' });
    const tip = repo.commit('three', { 'three.env': line(OTHER) });
    const parent = mkdtempSync(join(tmpdir(), 'leakguard-clones-'));
    repos.push(TestRepo.at(parent));
    const bare = join(parent, 'bare.git');
    const shallow = join(parent, 'shallow');
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare]);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow]);

    const fromBare = await history(bare);
    expect(fromBare.findings.map((f) => [blobOrigin(f).commit, f.origin.path]).sort()).toEqual(
      [
        [first, 'one.env'],
        [tip, 'three.env'],
      ].sort(),
    );
    // Shallow: the boundary commit is the root of what exists, so everything in it is attributed to it.
    const fromShallow = await history(shallow);
    expect(fromShallow.findings.map((f) => [blobOrigin(f).commit, f.origin.path]).sort()).toEqual(
      [
        [tip, 'one.env'],
        [tip, 'three.env'],
      ].sort(),
    );
    expect(fromShallow.summary.warnings).toEqual([]);
  });

  it('warns for each missing object and scans the rest', async () => {
    const repo = newRepo();
    repo.commit('one', { 'kept.env': line(SECRET), 'lost.env': line(OTHER), 'lost-too.txt': 'gone\n' });
    const lost = [repo.git('rev-parse', 'HEAD:lost.env'), repo.git('rev-parse', 'HEAD:lost-too.txt')];
    for (const oid of lost) unlinkSync(repo.looseObjectPath(oid));
    const { findings, summary } = await history(repo);
    expect(findings.map((f) => f.origin.path)).toEqual(['kept.env']);
    // rev-list names no path for an object it cannot read; the warning takes one from the commit log.
    expect(summary.warnings.map((w) => w.input).sort()).toEqual([`blob ${lost[0] ?? ''} (lost.env)`, `blob ${lost[1] ?? ''} (lost-too.txt)`].sort());
    expect(summary.warnings.every((w) => /missing/.test(w.message))).toBe(true);
  });

  it('reports non-UTF-8 names and names with spaces and newlines', async () => {
    const repo = newRepo();
    repo.commit('odd names', { 'with space/a b.env': line(SECRET), 'new\nline.env': line(OTHER) });
    // A non-UTF-8 name cannot pass through a JS string file name: stage it byte-exact with update-index.
    const oid = execFileSync('git', ['-C', repo.dir, 'hash-object', '-w', '--stdin'], { input: line(fakeGithubToken(303)) }).toString().trim();
    const latin1Name = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x65, 0x6e, 0x76]); // "caf\xe9.env"
    execFileSync('git', ['-C', repo.dir, 'update-index', '--add', '-z', '--index-info'], {
      input: Buffer.concat([Buffer.from(`100644 ${oid}\t`), latin1Name, Buffer.from([0])]),
    });
    repo.commit('latin-1 name', {});
    const { findings } = await history(repo);
    expect(findings.map((f) => f.origin.path).sort()).toEqual(['caf\\xe9.env', 'new\nline.env', 'with space/a b.env'].sort());
  });

  it('honours --since-commit and --max-commits', async () => {
    const repo = newRepo();
    const old = repo.commit('old', { 'old.env': line(SECRET) });
    const fresh = repo.commit('new', { 'new.env': line(OTHER) });
    const since = await history(repo, { sinceCommit: old });
    expect(since.findings.map((f) => blobOrigin(f).commit)).toEqual([fresh]);
    expect(since.summary.itemsScanned).toBe(1);
    // The newest commit's changes, as `git log -1` shows them (not every file of its tree).
    const newest = await history(repo, { maxCommits: 1 });
    expect(newest.findings.map((f) => blobOrigin(f))).toMatchObject([{ path: 'new.env', commit: fresh }]);
    const both = await history(repo, { maxCommits: 2 });
    expect(both.findings.map((f) => f.origin.path).sort()).toEqual(['new.env', 'old.env']);
  });

  it('scans blobs that only a tag holds: a tag of a blob, an annotated tag of a tree', async () => {
    const repo = newRepo();
    repo.commit('one', { 'a.txt': 'clean\n' });
    const withInput = (input: string, ...args: string[]): string => execFileSync('git', ['-C', repo.dir, ...args], { input }).toString().trim();
    repo.git('tag', 'loose-blob', withInput(line(SECRET), 'hash-object', '-w', '--stdin'));
    const inner = withInput(line(OTHER), 'hash-object', '-w', '--stdin');
    const tree = withInput(`100644 blob ${inner}\tkeys.env\n`, 'mktree');
    const outer = withInput(`040000 tree ${tree}\tconf\n`, 'mktree');
    repo.git('tag', '-a', '-m', 'tree', 'loose-tree', outer);
    const { findings, summary } = await history(repo);
    expect(findings.map((f) => [f.secret.reveal(), blobOrigin(f).path, blobOrigin(f).commit]).sort()).toEqual(
      [[SECRET, '', undefined], [OTHER, 'conf/keys.env', undefined]].sort(),
    );
    expect(summary.itemsScanned).toBe(3); // a.txt, the tagged blob, keys.env in the tagged tree
    expect(summary.warnings).toEqual([]);
  });

  it('streams a history of 4,000 blobs to the end while findings wait for the log (no stall between git processes)', async () => {
    // cat-file's input and output pipes fill (~160 KB of ids, ~1 MB of blobs) while the first findings wait
    // for the attribution log: reading the log must never depend on cat-file's output being consumed.
    const repo = newRepo();
    let stream = '';
    for (let i = 1; i <= 4000; i++) {
      const content = i % 500 === 0 || i === 3999 ? line(fakeGithubToken(2000 + i)) : `n=${i} ${'x'.repeat(200)}\n`;
      const message = `commit ${i}`;
      stream += `commit refs/heads/main\nmark :${i}\ncommitter Dev <dev@example.com> ${1_700_000_000 + i} +0000\ndata ${message.length}\n${message}\n`;
      if (i > 1) stream += `from :${i - 1}\n`;
      stream += `M 100644 inline dir-${i % 50}/file-${i}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    }
    repo.fastImport(stream);
    const { findings, summary } = await history(repo);
    expect(summary.itemsScanned).toBe(4000);
    expect(findings.map((f) => f.secret.reveal()).sort()).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 3999, 4000].map((i) => fakeGithubToken(2000 + i)).sort());
    expect(findings.every((f) => blobOrigin(f).commit !== undefined)).toBe(true);
  });

  it('splits blobs between --shard parts: every blob in exactly one part', async () => {
    const repo = newRepo();
    for (let i = 0; i < 12; i++) repo.commit(`c${i}`, { [`f${i}.env`]: line(fakeGithubToken(310 + i)) });
    const parts = [await collectScan([new GitHistorySource(repo.dir)], undefined, { index: 1, count: 2 }), await collectScan([new GitHistorySource(repo.dir)], undefined, { index: 2, count: 2 })];
    const blobs = parts.map((p) => p.findings.map((f) => blobOrigin(f).blob));
    expect(blobs[0]!.length).toBeGreaterThan(0);
    expect(blobs[1]!.length).toBeGreaterThan(0);
    expect(blobs[0]!.filter((b) => blobs[1]!.includes(b))).toEqual([]);
    expect(blobs[0]!.length + blobs[1]!.length).toBe(12);
    expect(parts[0]!.summary.itemsScanned + parts[1]!.summary.itemsScanned).toBe(12);
  });

  it('scans an empty repository clean and rejects what is not a repository or not a commit', async () => {
    const empty = newRepo();
    const { findings, summary } = await history(empty);
    expect(findings).toEqual([]);
    expect(summary.itemsScanned).toBe(0);
    const notRepo = mkdtempSync(join(tmpdir(), 'leakguard-not-a-repo-'));
    repos.push(TestRepo.at(notRepo));
    await expect(history(notRepo)).rejects.toThrow(InputError);
    await expect(history(join(notRepo, 'missing'))).rejects.toThrow(/no such directory/);
    const repo = newRepo();
    repo.commit('one', { 'a.txt': 'a\n' });
    await expect(history(repo, { branch: 'no-such-branch' })).rejects.toThrow(/--branch no-such-branch: no such commit/);
  });
});
