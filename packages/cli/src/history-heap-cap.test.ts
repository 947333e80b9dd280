import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, useHermeticGit } from '../../scanner-core/src/testing/git-test-repo.js';
import { historyHeapCapMb, repositoryStats } from './history-heap-cap.js';
import { relaunchFlags } from './relaunch.js';

/** What git itself counts: loose objects plus packed ones. */
function gitObjectCount(repo: TestRepo): number {
  const stats = Object.fromEntries(
    repo
      .git('count-objects', '-v')
      .split('\n')
      .map((line) => line.split(': ') as [string, string]),
  );
  return Number(stats['count']) + Number(stats['in-pack']);
}

const repositoryObjects = (path: string): number | undefined => repositoryStats(path)?.objects;

/** A directory that looks like a bare repository whose one pack index claims `objects` objects (a sparse file). */
function fakeBareRepository(root: string, objects: number, packBytes = 0): string {
  const dir = join(root, `fake-${objects}-${packBytes}.git`);
  mkdirSync(join(dir, 'objects', 'pack'), { recursive: true });
  writeFileSync(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  sparseFile(join(dir, 'objects', 'pack', 'pack-0.idx'), 8 + 1024 + 40 + 28 * objects);
  sparseFile(join(dir, 'objects', 'pack', 'pack-0.pack'), packBytes);
  return dir;
}

function sparseFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
}

describe('the old-generation limit of a relaunched history scan', () => {
  let scratch: string;
  let repo: TestRepo;

  beforeAll(() => {
    useHermeticGit();
    scratch = mkdtempSync(join(tmpdir(), 'leakguard-heap-cap-'));
    repo = TestRepo.create();
    for (let i = 0; i < 5; i++) repo.commit(`c${i}`, { [`f${i}.txt`]: `line ${i}\n`, 'shared.txt': `v${i}\n` });
  });

  afterAll(() => {
    repo.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('counts the objects git counts: loose, then packed, in a worktree, a bare clone, a linked worktree and a shared clone', () => {
    const loose = gitObjectCount(repo);
    expect(loose).toBeGreaterThan(10);
    expect(repositoryObjects(repo.dir)).toBe(loose);
    repo.git('gc', '-q');
    expect(gitObjectCount(repo)).toBe(loose);
    expect(repositoryObjects(repo.dir)).toBe(loose);

    const bare = join(scratch, 'bare.git');
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare]);
    expect(repositoryObjects(bare)).toBe(loose);

    const linked = join(scratch, 'linked');
    repo.git('worktree', 'add', '-q', linked);
    expect(repositoryObjects(linked)).toBe(loose);

    // `--shared` borrows the source's objects through objects/info/alternates; a commit adds its own.
    const shared = TestRepo.at(join(scratch, 'shared'));
    execFileSync('git', ['clone', '-q', '--shared', repo.dir, shared.dir]);
    shared.commit('more', { 'new.txt': 'new\n' });
    expect(repositoryObjects(shared.dir)).toBe(loose + 3);

    expect(repositoryObjects(scratch)).toBeUndefined();
  });

  it('is 1.5 GB for an ordinary repository, larger for a very large one, and V8s own when that reaches 2 GB', () => {
    expect(historyHeapCapMb(['git', repo.dir], {}, [], scratch)).toBe(1536);
    // 2 KiB per object: 900,000 objects → 1758 MB; 1.1 million → 2149 MB, past V8's threshold.
    expect(historyHeapCapMb(['git', fakeBareRepository(scratch, 900_000)], {}, [], scratch)).toBe(1758);
    expect(historyHeapCapMb(['git', fakeBareRepository(scratch, 1_100_000)], {}, [], scratch)).toBeUndefined();
  });

  it('is none for a repository of more than 128 MiB of packs (more full collections than it saves memory)', () => {
    const packs = (bytes: number): string => fakeBareRepository(scratch, 1000, bytes);
    expect(repositoryStats(packs(100 * 1024 * 1024))?.storedBytes).toBe(100 * 1024 * 1024);
    expect(historyHeapCapMb(['git', packs(100 * 1024 * 1024)], {}, [], scratch)).toBe(1536);
    expect(historyHeapCapMb(['git', packs(200 * 1024 * 1024)], {}, [], scratch)).toBeUndefined();
  });

  it('finds the repository among the arguments or in the working directory, and takes the largest one named', () => {
    expect(historyHeapCapMb(['git'], {}, [], repo.dir)).toBe(1536);
    expect(historyHeapCapMb(['-q', 'git', '--branch', 'main', 'repo'], {}, [], join(repo.dir, '..'))).toBeUndefined();
    const big = fakeBareRepository(scratch, 950_000);
    expect(historyHeapCapMb(['git', repo.dir, '--since-commit', big], {}, [], scratch)).toBe(1856);
    expect(historyHeapCapMb(['git', join(scratch, 'no-such-repo')], {}, [], scratch)).toBeUndefined();
    // Option values that are files, not directories, are passed over.
    writeFileSync(join(scratch, 'report.json'), '{}');
    expect(historyHeapCapMb(['git', repo.dir, '-o', '/dev/null', '--config', join(scratch, 'report.json')], {}, [], scratch)).toBe(1536);
  });

  it('leaves the limit to the user when NODE_OPTIONS or node itself sets one', () => {
    expect(historyHeapCapMb(['git', repo.dir], { NODE_OPTIONS: '--max-old-space-size=8192' }, [], scratch)).toBeUndefined();
    expect(historyHeapCapMb(['git', repo.dir], {}, ['--max-old-space-size=8192'], scratch)).toBeUndefined();
  });

  it('is among the flags of a relaunched full-history scan only', () => {
    const flags = (argv: string[]): string[] => relaunchFlags(argv, historyHeapCapMb(argv, {}, [], scratch));
    expect(flags(['git', repo.dir])).toContain('--max-old-space-size=1536');
    expect(flags(['git', join(scratch, 'no-such-repo')]).some((f) => f.startsWith('--max-old-space-size'))).toBe(false);
    expect(flags(['logs', repo.dir]).some((f) => f.startsWith('--max-old-space-size'))).toBe(false);
  });
});
