import { decodeGitPath } from './git-path.js';

/** A blob and a path it was committed at. */
export interface BlobRef {
  readonly oid: string;
  readonly path: string;
}

/** A commit as findings report it. */
export interface CommitInfo {
  readonly commit: string;
  readonly author: string;
  readonly email: string;
  readonly date: string;
}

/** One place a blob entered history: this commit put it at this path. */
export interface BlobIntroduction extends CommitInfo {
  readonly path: string;
  /** The next commit (towards the tips) that removed or replaced the blob at this path, if any. */
  readonly deletedIn?: string;
}

const NO_OBJECT = /^0+$/;
const GITLINK = '160000';

/**
 * The blob → introducing commits index, built from `git log --raw -z -c --no-renames --topo-order` (no
 * patch text). A blob is introduced at (commit, path) where the raw diff shows it as the new side; it is
 * removed at (commit, path) where it is the old side of a D, M or T change. Commits are numbered in log
 * order (newest first), which `--topo-order` makes a valid "descendant before ancestor" order.
 * Memory: a few numbers per raw entry; paths are interned.
 */
export class BlobIntroductions {
  readonly #commits: CommitInfo[] = [];
  readonly #paths: string[] = [];
  readonly #pathIds = new Map<string, number>();
  /** blob → [commitSeq, pathId, commitSeq, pathId, ...] */
  readonly #added = new Map<string, number[]>();
  readonly #removed = new Map<string, number[]>();

  get commitCount(): number {
    return this.#commits.length;
  }

  addCommit(info: CommitInfo): void {
    this.#commits.push(info);
  }

  /**
   * One raw diff entry of the latest commit. `meta` is the part between the leading colons and the path.
   * Returns the entry's new blob when this is the first time the index sees it (the history's blobs, each once).
   */
  addRawEntry(meta: string, path: Uint8Array): BlobRef | undefined {
    const seq = this.#commits.length - 1;
    if (seq < 0) return undefined;
    const colons = meta.length - meta.replace(/^:+/, '').length;
    const fields = meta.slice(colons).split(' ');
    const parents = Math.max(colons, 1);
    // parents+1 modes, parents+1 object ids, then the status letters
    if (fields.length < 2 * (parents + 1) + 1) return undefined;
    const newMode = fields[parents] ?? '';
    const newOid = fields[2 * parents + 1] ?? '';
    const status = fields[2 * (parents + 1)] ?? '';
    const pathText = decodeGitPath(path);
    const pathId = this.#internPath(pathText);
    let first: BlobRef | undefined;
    if (!NO_OBJECT.test(newOid) && newMode !== GITLINK && push(this.#added, newOid, seq, pathId)) first = { oid: newOid, path: pathText };
    if (parents === 1 && status.startsWith('C')) return first; // a copy leaves its source in place
    for (let p = 0; p < parents; p++) {
      const oldOid = fields[parents + 1 + p] ?? '';
      if (!NO_OBJECT.test(oldOid) && oldOid !== newOid && fields[p] !== GITLINK) push(this.#removed, oldOid, seq, pathId);
    }
    return first;
  }

  /** Whether some commit introduced the blob. */
  has(blob: string): boolean {
    return this.#added.has(blob);
  }

  /** Every (commit, path) that introduced the blob, oldest first, each with the commit that removed it. */
  introductions(blob: string): BlobIntroduction[] {
    const added = this.#added.get(blob);
    if (added === undefined) return [];
    const removed = this.#removed.get(blob) ?? [];
    const out: BlobIntroduction[] = [];
    for (let i = added.length - 2; i >= 0; i -= 2) {
      const seq = added[i] ?? 0;
      const pathId = added[i + 1] ?? 0;
      const commit = this.#commits[seq];
      if (commit === undefined) continue;
      const deletedIn = closestRemoval(removed, seq, pathId);
      out.push({
        ...commit,
        path: this.#paths[pathId] ?? '',
        ...(deletedIn === undefined ? {} : { deletedIn: this.#commits[deletedIn]?.commit ?? '' }),
      });
    }
    return out;
  }

  #internPath(path: string): number {
    let id = this.#pathIds.get(path);
    if (id === undefined) {
      id = this.#paths.length;
      this.#paths.push(path);
      this.#pathIds.set(path, id);
    }
    return id;
  }
}

/** The removal at this path nearest after (in log order: just before) the introduction at `seq`. */
function closestRemoval(removed: readonly number[], seq: number, pathId: number): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < removed.length; i += 2) {
    const at = removed[i] ?? 0;
    if (removed[i + 1] === pathId && at < seq && (best === undefined || at > best)) best = at;
  }
  return best;
}

/** Adds (seq, pathId) to the key's list; true when the key is new. */
function push(map: Map<string, number[]>, key: string, seq: number, pathId: number): boolean {
  const list = map.get(key);
  if (list === undefined) map.set(key, [seq, pathId]);
  else list.push(seq, pathId);
  return list === undefined;
}
