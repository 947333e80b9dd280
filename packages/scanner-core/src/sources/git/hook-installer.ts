import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { firstLine, runGit } from './git-process.js';

/** The line that marks a hook as ours: uninstall removes only files that carry it. */
export const HOOK_MARKER = '# leakguard-managed-hook';
const BACKUP_SUFFIX = '.pre-leakguard';

export interface HookInstallOptions {
  /** Replace a pre-commit hook leakguard did not write (it is kept as `pre-commit.pre-leakguard`). */
  readonly force?: boolean;
  /**
   * The leakguard that installs the hook (node binary + CLI script): the hook prefers it while it exists,
   * and falls back to `leakguard` on PATH (a global or project-local install).
   */
  readonly entry?: { readonly node: string; readonly script: string };
}

export type HookInstallResult =
  | { readonly action: 'installed' | 'updated'; readonly path: string }
  | { readonly action: 'replaced'; readonly path: string; readonly backup: string };

export type HookUninstallResult =
  | { readonly action: 'removed'; readonly path: string; readonly restored?: string }
  | { readonly action: 'not-installed' | 'foreign'; readonly path: string };

/** The pre-commit hook file git will run: `core.hooksPath` when set, else `$GIT_DIR/hooks`. */
export async function preCommitHookPath(repo: string): Promise<string> {
  const result = await runGit(repo, ['rev-parse', '--path-format=absolute', '--git-path', 'hooks']);
  if (result.code !== 0) throw new InputError(`${repo}: not a git repository (${firstLine(result.stderr)})`);
  return join(result.stdout.toString('utf8').trim(), 'pre-commit');
}

/** The hook script: runs the staged scan, so a commit with a leak in the index is refused (exit 1). */
export function hookScript(entry?: { readonly node: string; readonly script: string }): string {
  const lines = [
    '#!/bin/sh',
    `${HOOK_MARKER}: scans staged changes for secrets before each commit.`,
    '# Written by `leakguard hook install`; `leakguard hook uninstall` removes it. Bypass once: git commit --no-verify',
  ];
  if (entry !== undefined) {
    lines.push(
      `LEAKGUARD_NODE=${shellQuote(entry.node)}`,
      '[ -x "$LEAKGUARD_NODE" ] || LEAKGUARD_NODE=node',
      `if [ -f ${shellQuote(entry.script)} ]; then exec "$LEAKGUARD_NODE" ${shellQuote(entry.script)} git --staged; fi`,
    );
  }
  lines.push('exec leakguard git --staged', '');
  return lines.join('\n');
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Writes the pre-commit hook. Refuses (InputError) to replace a hook it did not write unless `force`. */
export async function installPreCommitHook(repo: string, options: HookInstallOptions = {}): Promise<HookInstallResult> {
  const path = await preCommitHookPath(repo);
  const existing = await readIfExists(path);
  let backup: string | undefined;
  if (existing !== undefined && !isOurs(existing)) {
    if (options.force !== true) {
      throw new InputError(`${path}: a pre-commit hook not written by leakguard exists; rerun with --force to replace it (it is kept as pre-commit${BACKUP_SUFFIX})`);
    }
    backup = path + BACKUP_SUFFIX;
    await rename(path, backup);
  }
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, hookScript(options.entry), { mode: 0o755 });
  await chmod(path, 0o755);
  if (backup !== undefined) return { action: 'replaced', path, backup };
  return { action: existing === undefined ? 'installed' : 'updated', path };
}

/** Removes the hook only if leakguard wrote it, restoring a hook that `--force` set aside. */
export async function uninstallPreCommitHook(repo: string): Promise<HookUninstallResult> {
  const path = await preCommitHookPath(repo);
  const existing = await readIfExists(path);
  if (existing === undefined) return { action: 'not-installed', path };
  if (!isOurs(existing)) return { action: 'foreign', path };
  await rm(path);
  const backup = path + BACKUP_SUFFIX;
  if ((await readIfExists(backup)) === undefined) return { action: 'removed', path };
  await rename(backup, path);
  return { action: 'removed', path, restored: path };
}

function isOurs(script: string): boolean {
  return script.split('\n').some((line) => line.startsWith(HOOK_MARKER));
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}
