import { statSync } from 'node:fs';
import { InputError } from '../../errors.js';

/**
 * Repository checks and rev parsing through simple-git (imported on first use: commands that never touch
 * history should not pay for loading it). Streaming plumbing uses raw git processes instead.
 */
async function git(repo: string, label: string): Promise<import('simple-git').SimpleGit> {
  const info = statSync(repo, { throwIfNoEntry: false });
  if (info === undefined) throw new InputError(`${label}: no such directory`);
  if (!info.isDirectory()) throw new InputError(`${label}: not a git repository (a file, not a directory)`);
  const { simpleGit } = await import('simple-git');
  try {
    return simpleGit({ baseDir: repo, maxConcurrentProcesses: 2 });
  } catch (error) {
    throw new InputError(`${label}: cannot open (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/** Fails with a one-line InputError unless `repo` is a git repository (worktree or bare). */
export async function openRepository(repo: string, label: string): Promise<void> {
  const client = await git(repo, label);
  try {
    await client.revparse(['--git-dir']);
  } catch (error) {
    throw new InputError(`${label}: not a git repository`, { cause: error });
  }
}

/** The full commit id a user-given revision names; a one-line InputError naming `option` if none. */
export async function resolveCommit(repo: string, label: string, rev: string, option: string): Promise<string> {
  const client = await git(repo, label);
  try {
    const oid = (await client.revparse(['--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(oid)) return oid;
  } catch (error) {
    throw new InputError(`${label}: ${option} ${rev}: no such commit`, { cause: error });
  }
  throw new InputError(`${label}: ${option} ${rev}: no such commit`);
}
