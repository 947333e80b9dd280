import { UsageError } from '../../errors.js';
import { runGit } from './git-process.js';
import { openRepository, resolveCommit } from './git-repository.js';

/** A PR range made concrete: the revisions to log, and what BASE turned into. */
export interface ResolvedRange {
  readonly base: string;
  readonly head: string;
  /** The commit the range starts after: BASE itself, or the merge base when BASE is not an ancestor of HEAD. */
  readonly from: string | undefined;
  readonly revs: readonly string[];
  /** Something the user should know about how the range was read (no common history). */
  readonly note?: string;
}

/**
 * Resolves `BASE..HEAD` (or `BASE...HEAD`; an empty side means HEAD). When BASE is not an ancestor of HEAD
 * (the base branch moved on after the PR branched), the range starts at their merge base, so only the
 * PR's own commits are scanned. Without any common history every commit of HEAD is scanned.
 */
export async function resolveRange(repo: string, label: string, range: string): Promise<ResolvedRange> {
  const split = /^(.*?)(\.\.\.?)(.*)$/.exec(range);
  if (split === null) throw new UsageError(`--range ${range}: expected BASE..HEAD`);
  await openRepository(repo, label);
  const base = await resolveCommit(repo, label, split[1] === '' ? 'HEAD' : (split[1] ?? 'HEAD'), '--range');
  const head = await resolveCommit(repo, label, split[3] === '' ? 'HEAD' : (split[3] ?? 'HEAD'), '--range');
  const ancestor = await runGit(repo, ['merge-base', '--is-ancestor', base, head]);
  if (ancestor.code === 0) return { base, head, from: base, revs: [`^${base}`, head] };
  const mergeBase = await runGit(repo, ['merge-base', base, head]);
  const from = mergeBase.stdout.toString('latin1').trim().split('\n')[0] ?? '';
  if (mergeBase.code === 0 && from !== '') return { base, head, from, revs: [`^${from}`, head] };
  return {
    base,
    head,
    from: undefined,
    revs: [head],
    note: `--range ${range}: no common history between BASE and HEAD; scanning every commit of HEAD`,
  };
}
