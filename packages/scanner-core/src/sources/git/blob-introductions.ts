import { decodeGitPath } from './git-path.js';
import { ObjectIdTable } from './object-id-table.js';

/** A blob and a path it was committed at. */
export interface BlobRef {
  readonly oid: string;
  readonly path: string;
  /** The blob this one replaced at that path (a modification with one parent): mostly the same bytes. */
  readonly predecessor?: string;
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

const GITLINK = Buffer.from('160000');
const SPACE = 0x20;
const COLON = 0x3a;

/**
 * Where (commit, path) pairs are kept: a list per object number (ObjectIdTable), newest pair first, as
 * `seq, pathId, next` triples in one growing Int32Array (12 bytes a pair, where a JS array per blob cost ~150
 * bytes, mostly slack); each list's head is at its number in another.
 */
class PairLists {
  /** Object number → index of its newest triple + 1, or 0 for none. */
  #heads = new Int32Array(1024);
  #cells = new Int32Array(3 * 1024);
  #used = 0;

  /** Adds (seq, pathId) to the object's list; true when its list was empty. */
  add(object: number, seq: number, pathId: number): boolean {
    if (this.#used + 3 > this.#cells.length) this.#cells = grown(this.#cells, this.#cells.length * 2);
    if (object >= this.#heads.length) this.#heads = grown(this.#heads, Math.max(object + 1, this.#heads.length * 2));
    const head = this.#heads[object] ?? 0;
    const at = this.#used;
    this.#cells[at] = seq;
    this.#cells[at + 1] = pathId;
    this.#cells[at + 2] = head - 1;
    this.#used += 3;
    this.#heads[object] = at + 1;
    return head === 0;
  }

  has(object: number): boolean {
    return (this.#heads[object] ?? 0) !== 0;
  }

  /** The object's pairs as [seq, pathId, seq, pathId, …], the last added first. */
  pairs(object: number): number[] {
    const out: number[] = [];
    for (let at = (this.#heads[object] ?? 0) - 1; at !== -1; at = this.#cells[at + 2] ?? -1) out.push(this.#cells[at] ?? 0, this.#cells[at + 1] ?? 0);
    return out;
  }
}

function grown(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(length);
  bigger.set(array);
  return bigger;
}

/**
 * The blob → introducing commits index, built from `git log --raw -z -c --no-renames --topo-order` (no
 * patch text). A blob is introduced at (commit, path) where the raw diff shows it as the new side; it is
 * removed at (commit, path) where it is the old side of a D, M or T change. Commits are numbered in log
 * order (newest first), which `--topo-order` makes a valid "descendant before ancestor" order.
 * Memory: ~30 bytes per object id (ObjectIdTable, outside the JS heap) and 12 bytes per raw entry; paths are
 * interned; the ids of blobs returned for scanning are read from the raw bytes as flat strings (a slice of the
 * whole entry text would keep all of it alive).
 */
export class BlobIntroductions {
  readonly #commits: CommitInfo[] = [];
  readonly #paths: string[] = [];
  readonly #pathIds = new Map<string, number>();
  readonly #objects = new ObjectIdTable();
  readonly #added = new PairLists();
  readonly #removed = new PairLists();

  get commitCount(): number {
    return this.#commits.length;
  }

  addCommit(info: CommitInfo): void {
    this.#commits.push(info);
  }

  /**
   * One raw diff entry of the latest commit: `meta` is its `:modes ids status` text, `path` its path.
   * Returns the entry's new blob when this is the first time the index sees it (the history's blobs, each once).
   */
  addRawEntry(meta: Buffer, path: Uint8Array): BlobRef | undefined {
    const seq = this.#commits.length - 1;
    if (seq < 0) return undefined;
    let colons = 0;
    while (meta[colons] === COLON) colons++;
    const parents = Math.max(colons, 1);
    // parents+1 modes, parents+1 object ids, then the status letters
    const fields = fieldBounds(meta, colons);
    if (fields.length < 2 * (2 * (parents + 1) + 1)) return undefined;
    const field = (i: number): [number, number] => [fields[2 * i] ?? 0, fields[2 * i + 1] ?? 0];
    const text = (i: number): string => meta.toString('latin1', ...field(i));
    const isGitlink = (i: number): boolean => equalBytes(meta, field(i), GITLINK);
    const newAt = 2 * parents + 1;
    const pathText = decodeGitPath(path);
    const pathId = this.#internPath(pathText);
    const object = (i: number): number | undefined => (isNoObject(meta, field(i)) ? undefined : this.#objects.add(meta, ...field(i)));
    const newObject = object(newAt);
    const isNew = newObject !== undefined && !isGitlink(parents) && this.#added.add(newObject, seq, pathId);
    const status = meta[field(2 * (parents + 1))[0]] ?? 0;
    const modified = parents === 1 && status === 0x4d /* M */ && !isNoObject(meta, field(2));
    // One object shape for every ref, predecessor or not: adding the field by spreading gave each ref its
    // own hidden class (~170 bytes more each, when the history source still queued refs as objects).
    const first: BlobRef | undefined = isNew ? { oid: text(newAt), path: this.#paths[pathId] ?? pathText, predecessor: modified ? text(2) : undefined } : undefined;
    if (parents === 1 && status === 0x43 /* C */) return first; // a copy leaves its source in place
    for (let p = 0; p < parents; p++) {
      if (isGitlink(p)) continue;
      const oldObject = object(parents + 1 + p);
      if (oldObject !== undefined && oldObject !== newObject) this.#removed.add(oldObject, seq, pathId);
    }
    return first;
  }

  /** Whether some commit introduced the blob. */
  has(blob: string): boolean {
    const object = this.#objects.find(blob);
    return object !== undefined && this.#added.has(object);
  }

  /** Every (commit, path) that introduced the blob, oldest first, each with the commit that removed it. */
  introductions(blob: string): BlobIntroduction[] {
    const object = this.#objects.find(blob);
    if (object === undefined) return [];
    const added = this.#added.pairs(object);
    if (added.length === 0) return [];
    const removed = this.#removed.pairs(object);
    const out: BlobIntroduction[] = [];
    for (let i = 0; i < added.length; i += 2) {
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

/** Start and end of each space-separated field after `skip` bytes: [s0, e0, s1, e1, …]. */
function fieldBounds(meta: Uint8Array, skip: number): number[] {
  const out: number[] = [];
  let start = skip;
  for (let i = skip; i <= meta.length; i++) {
    if (i === meta.length || meta[i] === SPACE) {
      if (i > start) out.push(start, i);
      start = i + 1;
    }
  }
  return out;
}

function isNoObject(meta: Uint8Array, [start, end]: [number, number]): boolean {
  if (end <= start) return true;
  for (let i = start; i < end; i++) if (meta[i] !== 0x30) return false;
  return true;
}

function equalBytes(meta: Uint8Array, [start, end]: [number, number], expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (meta[start + i] !== expected[i]) return false;
  return true;
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
