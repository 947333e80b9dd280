/**
 * Event payloads in the shapes GitHub sends (trimmed to the fields a workflow commonly reads, but with the
 * real nesting and types), for GITHUB_EVENT_PATH in simulated runs.
 */
export const REPOSITORY = {
  id: 42,
  node_id: 'R_kgDOAAAAKg',
  name: 'widgets',
  full_name: 'octo-org/widgets',
  private: false,
  owner: { login: 'octo-org', id: 7, type: 'Organization' },
  html_url: 'https://github.com/octo-org/widgets',
  clone_url: 'https://github.com/octo-org/widgets.git',
  default_branch: 'main',
};

const SENDER = { login: 'mona', id: 21, type: 'User' };

export function pullRequestEvent(options: { number: number; base: string; head: string; commits: number; baseRef?: string; headRef?: string }): object {
  const branch = (ref: string, sha: string): object => ({ label: `octo-org:${ref}`, ref, sha, user: REPOSITORY.owner, repo: REPOSITORY });
  return {
    action: 'synchronize',
    number: options.number,
    before: options.base,
    after: options.head,
    pull_request: {
      url: `https://api.github.com/repos/octo-org/widgets/pulls/${options.number}`,
      id: 1000 + options.number,
      number: options.number,
      state: 'open',
      title: 'Add deployment config',
      user: SENDER,
      draft: false,
      merged: false,
      head: branch(options.headRef ?? 'feature', options.head),
      base: branch(options.baseRef ?? 'main', options.base),
      commits: options.commits,
      additions: 10,
      deletions: 0,
      changed_files: 2,
    },
    repository: REPOSITORY,
    sender: SENDER,
  };
}

export function pushEvent(options: { ref: string; before: string; after: string; commits?: readonly string[]; forced?: boolean }): object {
  const created = /^0+$/.test(options.before);
  const deleted = /^0+$/.test(options.after);
  return {
    ref: options.ref,
    before: options.before,
    after: options.after,
    base_ref: null,
    created,
    deleted,
    forced: options.forced ?? false,
    compare: `https://github.com/octo-org/widgets/compare/${options.before.slice(0, 12)}...${options.after.slice(0, 12)}`,
    commits: (options.commits ?? []).map((id) => ({ id, tree_id: id, distinct: true, message: 'change', url: `https://github.com/octo-org/widgets/commit/${id}` })),
    head_commit: deleted ? null : { id: options.after, message: 'change' },
    repository: { ...REPOSITORY, master_branch: 'main' },
    pusher: { name: 'mona', email: 'mona@example.com' },
    sender: SENDER,
  };
}

export const ZEROS = '0'.repeat(40);
