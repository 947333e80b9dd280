import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '@leakguard/scanner-core';
import type { Source } from '@leakguard/scanner-core/sources';
import { GitDiffSource, GitHistorySource } from '@leakguard/scanner-core/sources/git';
import { SOURCE_THREADS } from '../pool-size.js';
import { runScan } from '../run-scan.js';
import { maxFileSize, withScanOptions, type ScanArgs } from '../scan-options.js';
import { defineCommand } from './command.js';

interface GitArgs extends ScanArgs {
  readonly repo: string;
  readonly branch?: string;
  readonly 'since-commit'?: string;
  readonly 'max-commits'?: number;
  readonly range?: string;
  readonly staged: boolean;
}

export const gitCommand = defineCommand<GitArgs>({
  command: 'git [repo]',
  describe: 'scan git history (every blob once), a PR range (--range BASE..HEAD) or the index (--staged)',
  builder: (yargs) =>
    withScanOptions(yargs)
      .positional('repo', { type: 'string', default: '.', describe: 'repository (worktree or bare)' })
      .option('branch', { type: 'string', describe: 'history: scan what is reachable from REF (default: all refs)' })
      .option('since-commit', { type: 'string', describe: 'history: skip what is reachable from SHA' })
      .option('max-commits', { type: 'number', describe: 'history: only the newest N commits' })
      .option('range', { type: 'string', describe: 'scan lines added in BASE..HEAD (from the merge base)' })
      .option('staged', { type: 'boolean', default: false, describe: 'scan lines added in the index (pre-commit)' })
      .example('$0 git', 'every blob of every ref, once')
      .example('$0 git --range origin/main..HEAD', 'PR gate: lines added by the branch')
      .example('$0 git --staged', 'pre-commit: what is about to be committed') as never,
  handler: (args, io) => {
    const repo = isAbsolute(args.repo) ? args.repo : resolve(io.cwd, args.repo);
    // A whole history is large; a PR range or the index usually is not, and must not pay for workers. While
    // a history streams, git's own processes (cat-file, log) keep about one core busy: one worker fewer
    // (express's history on 2 cores: 1 worker 1.75 s, 2 workers 1.96 s). A second worker once 256 MB had
    // gone by gained nothing on larger histories and cost memory (interleaved runs, without → with it:
    // vuejs/core 6.12 against 6.30 s, peak RSS 244 against 280 MB; typescript-eslint 10.31 against 10.46 s,
    // 328 against 433 MB).
    const history = !args.staged && args.range === undefined;
    return runScan(args, io, [gitSource(args, repo)], args.repo, 'git', history ? { large: true, sourceThreads: SOURCE_THREADS.history } : {});
  },
});

function gitSource(args: GitArgs, repo: string): Source {
  const history = (['branch', 'since-commit', 'max-commits'] as const).filter((o) => args[o] !== undefined).map((o) => `--${o}`);
  if (args.staged && args.range !== undefined) throw new UsageError('--staged and --range cannot be combined');
  if ((args.staged || args.range !== undefined) && history.length > 0) {
    throw new UsageError(`${history.join(', ')} select history commits; they do not apply to ${args.staged ? '--staged' : '--range'}`);
  }
  const maxCommits = args['max-commits'];
  if (maxCommits !== undefined && (!Number.isInteger(maxCommits) || maxCommits < 1)) throw new UsageError('--max-commits must be a positive integer');
  if (args.staged) return new GitDiffSource(repo, { kind: 'staged' }, args.repo);
  if (args.range !== undefined) return new GitDiffSource(repo, { kind: 'range', range: args.range }, args.repo);
  return new GitHistorySource(
    repo,
    {
      ...(args.branch === undefined ? {} : { branch: args.branch }),
      ...(args['since-commit'] === undefined ? {} : { sinceCommit: args['since-commit'] }),
      ...(maxCommits === undefined ? {} : { maxCommits }),
      ...(maxFileSize(args) === undefined ? {} : { maxFileSize: maxFileSize(args) }),
    },
    args.repo,
  );
}
