import { short } from './event-plan.js';
import type { GitClient } from './git-client.js';

/** The commits a scan needs are not in the checkout and could not be fetched; the caller adds fetch-depth advice. */
export class HistoryUnavailable extends Error {
  /** Commits that could not be fetched at all (a force-pushed-away BASE, say), when that is the problem. */
  readonly unfetchable: readonly string[];

  constructor(message: string, unfetchable: readonly string[] = []) {
    super(message);
    this.unfetchable = unfetchable;
  }
}

/** How many times a shallow checkout is deepened (depth × 4 each time) before it is unshallowed outright. */
const DEEPEN_ROUNDS = 3;

/**
 * Makes the history a scan needs available locally. actions/checkout fetches one commit by default
 * (`fetch-depth: 1`), so the PR's base, its head, the commits between them and their merge base are often
 * missing: they are fetched by id from the remote (GitHub serves PR heads and bases by id), deepening a
 * shallow checkout until no commit of MERGE_BASE..HEAD sits on the shallow boundary (a boundary commit looks
 * like a root commit, and its whole tree would be reported as added). Every fetch is logged.
 */
export class HistoryFetcher {
  readonly #git: GitClient;
  readonly #log: (line: string) => void;

  constructor(git: GitClient, log: (line: string) => void) {
    this.#git = git;
    this.#log = log;
  }

  /**
   * Where a BASE..HEAD scan starts: BASE when it is an ancestor of HEAD, else their merge base (undefined when
   * they share no history). `firstDepth` is the depth of the first fetch in a shallow checkout.
   */
  async rangeStart(base: string, head: string, firstDepth: number): Promise<string | undefined> {
    const shallow = await this.#git.isShallow();
    const fetched = await this.#fetchMissing([base, head], shallow ? firstDepth : undefined);
    let depth = fetched && shallow ? firstDepth * 4 : firstDepth;
    for (let round = 0; ; round++) {
      const start = await this.#start(base, head);
      if (start.complete) return start.from;
      if (round < DEEPEN_ROUNDS) {
        await this.#fetch([base, head], depth, `shallow checkout: deepened to ${depth} commits from ${short(base)} and ${short(head)} to reach their merge base`);
        depth *= 4;
      } else if (round === DEEPEN_ROUNDS) {
        await this.#fetch([base, head], 'unshallow', 'shallow checkout: fetched the complete history (git fetch --unshallow) to reach the merge base');
      } else {
        throw new HistoryUnavailable(`the history between ${short(base)} and ${short(head)} is incomplete after fetching`);
      }
    }
  }

  /** The commit at the tip of `branch` on the remote, fetched into refs/remotes/<remote>/<branch>. */
  async branchTip(branch: string, depth: number): Promise<string> {
    const remote = await this.#git.remote();
    let problem = 'the checkout has no remote';
    if (remote !== undefined) {
      const shallow = await this.#git.isShallow();
      const ref = `refs/remotes/${remote}/${branch}`;
      const result = await this.#git.run(['fetch', '--no-tags', '--no-recurse-submodules', ...(shallow ? [`--depth=${depth}`] : []), remote, `+refs/heads/${branch}:${ref}`]);
      if (result.code === 0) this.#log(`fetched ${branch} from ${remote} (the default branch) to find the commits that are new on this branch`);
      else problem = `git fetch ${remote} failed: ${firstLine(result.stderr)}`;
      const tip = await this.#git.commit(ref);
      if (tip !== undefined) return tip;
    }
    const local = await this.#git.commit(`refs/heads/${branch}`);
    if (local !== undefined) return local;
    throw new HistoryUnavailable(`the default branch ${branch} is not in the checkout and could not be fetched (${problem})`);
  }

  /** Every branch with its full history, for a full-history scan of a shallow or single-branch checkout. */
  async everything(): Promise<void> {
    if (!(await this.#git.isShallow())) return;
    const remote = await this.#git.remote();
    if (remote === undefined) throw new HistoryUnavailable('the checkout is shallow and has no remote to fetch from');
    const result = await this.#git.run(['fetch', '--unshallow', '--no-tags', '--no-recurse-submodules', remote, `+refs/heads/*:refs/remotes/${remote}/*`]);
    if (result.code !== 0) throw new HistoryUnavailable(`git fetch --unshallow failed: ${firstLine(result.stderr)}`);
    this.#log(`shallow checkout: fetched the complete history of every branch from ${remote} (git fetch --unshallow)`);
  }

  /** Fetches the commits that are not local, together, or one by one to tell which cannot be fetched. */
  async #fetchMissing(commits: readonly string[], depth: number | undefined): Promise<boolean> {
    const missing = await this.#missing(commits);
    if (missing.length === 0) return false;
    try {
      await this.#fetch(missing, depth, `fetched ${missing.map(short).join(' and ')} (not in the checkout)`);
    } catch (error) {
      if (!(error instanceof HistoryUnavailable) || missing.length === 1) throw new HistoryUnavailable(error instanceof Error ? error.message : String(error), missing);
      for (const commit of missing) await this.#fetch([commit], depth, `fetched ${short(commit)} (not in the checkout)`).catch(() => undefined);
    }
    const still = await this.#missing(missing);
    if (still.length > 0) throw new HistoryUnavailable(`commit ${still.map(short).join(', ')} is not in the checkout and could not be fetched`, still);
    return true;
  }

  async #missing(commits: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const c of commits) if ((await this.#git.commit(c)) === undefined) missing.push(c);
    return missing;
  }

  /** Whether BASE..HEAD can be scanned as it is: a start point found, and no shallow boundary inside the range. */
  async #start(base: string, head: string): Promise<{ complete: boolean; from: string | undefined }> {
    const from = (await this.#git.isAncestor(base, head)) ? base : await this.#git.mergeBase(base, head);
    if (!(await this.#git.isShallow())) return { complete: true, from };
    if (from === undefined) return { complete: false, from };
    const boundary = await this.#git.shallowCommits();
    const cut = (await this.#git.revList(from, head)).some((c) => boundary.has(c));
    return { complete: !cut, from };
  }

  async #fetch(commits: readonly string[], depth: number | 'unshallow' | undefined, done: string): Promise<void> {
    const remote = await this.#git.remote();
    if (remote === undefined) throw new HistoryUnavailable('the checkout has no remote to fetch the missing commits from');
    const how = depth === undefined ? [] : depth === 'unshallow' ? ['--unshallow'] : [`--depth=${depth}`];
    const result = await this.#git.run(['fetch', '--no-tags', '--no-recurse-submodules', ...how, remote, ...commits]);
    if (result.code !== 0) throw new HistoryUnavailable(`git fetch ${remote} failed: ${firstLine(result.stderr)}`);
    this.#log(done);
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('remote:')) ?? 'no message'
  );
}
