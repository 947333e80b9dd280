import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../testing/git-test-repo.js';
import { HOOK_MARKER, installPreCommitHook, uninstallPreCommitHook } from './hook-installer.js';

const repos: TestRepo[] = [];
const FOREIGN = '#!/bin/sh\necho "team hook"\n';
const builtCli = fileURLToPath(new URL('../../../../cli/dist/bin.js', import.meta.url));

function newRepo(): TestRepo {
  const repo = TestRepo.create();
  repos.push(repo);
  return repo;
}

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('pre-commit hook installer', () => {
  it('installs into .git/hooks, executable and marked, and uninstalls', async () => {
    const repo = newRepo();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect(await installPreCommitHook(repo.dir)).toEqual({ action: 'installed', path: hook });
    const script = readFileSync(hook, 'utf8');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain(HOOK_MARKER);
    expect(script).toContain('exec leakguard git --staged');
    expect(statSync(hook).mode & 0o111).toBe(0o111);
    expect(await installPreCommitHook(repo.dir)).toEqual({ action: 'updated', path: hook });
    expect(await uninstallPreCommitHook(repo.dir)).toEqual({ action: 'removed', path: hook });
    expect(existsSync(hook)).toBe(false);
    expect(await uninstallPreCommitHook(repo.dir)).toEqual({ action: 'not-installed', path: hook });
  });

  it('respects a relative core.hooksPath, from any subdirectory', async () => {
    const repo = newRepo();
    repo.git('config', 'core.hooksPath', 'tools/hooks');
    repo.write({ 'src/deep/file.txt': 'x\n' });
    const result = await installPreCommitHook(join(repo.dir, 'src', 'deep'));
    expect(result).toEqual({ action: 'installed', path: join(repo.dir, 'tools', 'hooks', 'pre-commit') });
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('refuses to replace a foreign hook without force, keeps it aside with force, restores it on uninstall', async () => {
    const repo = newRepo();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, FOREIGN, { mode: 0o755 });
    await expect(installPreCommitHook(repo.dir)).rejects.toThrow(/not written by leakguard.*--force/);
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
    expect(await uninstallPreCommitHook(repo.dir)).toEqual({ action: 'foreign', path: hook });
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);

    expect(await installPreCommitHook(repo.dir, { force: true })).toEqual({ action: 'replaced', path: hook, backup: `${hook}.pre-leakguard` });
    expect(readFileSync(hook, 'utf8')).toContain(HOOK_MARKER);
    expect(await uninstallPreCommitHook(repo.dir)).toEqual({ action: 'removed', path: hook, restored: hook });
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
  });

  it('rejects a directory that is not a repository', async () => {
    const plain = TestRepo.at(mkdtempSync(join(tmpdir(), 'leakguard-plain-')));
    repos.push(plain);
    await expect(installPreCommitHook(plain.dir)).rejects.toThrow(/not a git repository/);
  });

  it.skipIf(!existsSync(builtCli))('blocks a commit whose staged content leaks, and lets a clean one through (built CLI)', async () => {
    const repo = newRepo();
    await installPreCommitHook(repo.dir, { entry: { node: process.execPath, script: builtCli } });
    repo.write({ 'app.env': `TOKEN="${fakeGithubToken(501)}"\n` });
    repo.git('add', 'app.env');
    const blocked = spawnSync('git', ['-C', repo.dir, 'commit', '-q', '-m', 'leak'], { encoding: 'utf8' });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toMatch(/1 leak found/);
    expect(blocked.stdout + blocked.stderr).not.toContain(fakeGithubToken(501));
    repo.write({ 'app.env': 'TOKEN="${TOKEN}"\n' });
    repo.git('add', 'app.env');
    const clean = spawnSync('git', ['-C', repo.dir, 'commit', '-q', '-m', 'clean'], { encoding: 'utf8' });
    expect(clean.status).toBe(0);
    expect(clean.stdout + clean.stderr).toMatch(/0 leaks found/); // git shows a hook's stdout on stderr
    // `commit -a` stages into a temporary index (GIT_INDEX_FILE, index.lock held): the hook must scan that one
    repo.write({ 'app.env': `TOKEN="${fakeGithubToken(502)}"\n` });
    const all = spawnSync('git', ['-C', repo.dir, 'commit', '-q', '-a', '-m', 'leak via -a'], { encoding: 'utf8' });
    expect(all.status).not.toBe(0);
    expect(all.stdout + all.stderr).toMatch(/1 leak found/);
  });
});
