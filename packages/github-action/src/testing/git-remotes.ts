import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRepo } from '../../../scanner-core/src/testing/git-test-repo.js';

/** `git clone <options> file://<origin>` into a fresh directory (file:// so that --depth works locally). */
export function cloneOf(origin: TestRepo, ...options: string[]): TestRepo {
  const dir = join(mkdtempSync(join(tmpdir(), 'leakguard-ws-')), 'widgets');
  execFileSync('git', ['clone', '-q', ...options, `file://${origin.dir}`, dir], { stdio: 'pipe' });
  return TestRepo.at(dir);
}

/**
 * A checkout as actions/checkout makes it for a pull request: an empty repository with `origin`, the PR's
 * merge ref fetched at `depth`, HEAD detached at it.
 */
export function pullRequestCheckout(origin: TestRepo, number: number, depth: number): TestRepo {
  const dir = join(mkdtempSync(join(tmpdir(), 'leakguard-ws-')), 'widgets');
  const ws = TestRepo.at(dir);
  execFileSync('git', ['init', '-q', dir], { stdio: 'pipe' });
  ws.git('remote', 'add', 'origin', `file://${origin.dir}`);
  ws.git('fetch', '-q', '--no-tags', `--depth=${depth}`, 'origin', `+refs/pull/${number}/merge:refs/remotes/pull/${number}/merge`);
  ws.git('checkout', '-q', '--detach', `refs/remotes/pull/${number}/merge`);
  return ws;
}

/** Makes `refs/pull/<number>/merge` in a bare origin: the merge of head into base, as GitHub prepares it. */
export function makeMergeRef(origin: TestRepo, number: number, base: string, head: string): string {
  const tree = origin.git('merge-tree', '--write-tree', base, head).split('\n')[0] ?? '';
  const merge = origin.git('commit-tree', tree, '-p', base, '-p', head, '-m', `Merge ${head} into ${base}`);
  origin.git('update-ref', `refs/pull/${number}/merge`, merge);
  origin.git('update-ref', `refs/pull/${number}/head`, head);
  return merge;
}
