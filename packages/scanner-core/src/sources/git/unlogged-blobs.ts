import type { BlobRef } from './blob-introductions.js';
import { decodeGitPath } from './git-path.js';
import { runGit } from './git-process.js';
import { TokenSplitter } from './token-splitter.js';

// Blobs the attribution log cannot name, read after it: those only a tag holds, and, when the log stopped
// early (a missing tree in a partial mirror), those reachable from the commits below that point.

/**
 * When `git log` stopped early, the blobs it never reached: `git rev-list --objects` lists every reachable
 * blob (`?oid` for a missing one, requested anyway so cat-file reports it) and those the log did not
 * name are returned. Only on that degraded path does any process walk every tree.
 */
export async function walkedBlobs(repo: string, revs: readonly string[], known: (oid: string) => boolean, signal?: AbortSignal): Promise<BlobRef[]> {
  const listing = await runGit(repo, ['rev-list', '--objects', '--filter=object:type=blob', '--missing=print', ...revs, '--'], signal);
  const found = new UnloggedBlobs(known);
  for (const line of tokens(listing.stdout, 10)) {
    const missing = line[0] === 0x3f; /* ? */
    const space = line.indexOf(0x20);
    if (!missing && space === -1) continue; // a commit
    const oid = line.toString('latin1', missing ? 1 : 0, missing || space === -1 ? line.length : space).trim();
    found.add(oid, missing || space === -1 ? '' : decodeGitPath(line.subarray(space + 1)));
  }
  return found.blobs;
}

/**
 * Blobs that no commit holds but a ref does: a tag (lightweight or annotated, at any depth) pointing at a
 * blob, or at a tree whose blobs are then listed with their paths in it. `git log` never shows them, so
 * with every ref (`--all`) they are requested after the log. `known` tells the blobs the log already had.
 */
export async function taggedBlobs(repo: string, known: (oid: string) => boolean, signal?: AbortSignal): Promise<BlobRef[]> {
  const refs = await runGit(repo, ['for-each-ref', '--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)'], signal);
  if (refs.code !== 0) return [];
  const found = new UnloggedBlobs(known);
  for (const line of refs.stdout.toString('latin1').split('\n')) {
    let [type = '', oid = '', peeledType = '', peeled = ''] = line.split(' ');
    if (type === 'tag') [type, oid] = peeledType === 'tag' ? await peel(repo, peeled, signal) : [peeledType, peeled];
    if (type === 'blob') found.add(oid, '');
    else if (type === 'tree') for (const entry of await treeBlobs(repo, oid, signal)) found.add(entry.oid, entry.path);
  }
  return found.blobs;
}

/** Blobs neither the log (`known`) nor an earlier add named, each once with the path it was first seen at. */
class UnloggedBlobs {
  readonly blobs: BlobRef[] = [];
  readonly #known: (oid: string) => boolean;
  readonly #seen = new Set<string>();

  constructor(known: (oid: string) => boolean) {
    this.#known = known;
  }

  add(oid: string, path: string): void {
    if (this.#known(oid) || this.#seen.has(oid)) return;
    this.#seen.add(oid);
    this.blobs.push({ oid, path });
  }
}

/** A tag of a tag: the type and id of the object at the end of the chain. */
async function peel(repo: string, tag: string, signal?: AbortSignal): Promise<[string, string]> {
  const target = await runGit(repo, ['rev-parse', '--verify', '--quiet', `${tag}^{}`], signal);
  const oid = target.stdout.toString('latin1').trim();
  if (target.code !== 0 || oid === '') return ['', ''];
  const type = await runGit(repo, ['cat-file', '-t', oid], signal);
  return [type.stdout.toString('latin1').trim(), oid];
}

/** Every blob in a tree, recursively, with its path in that tree. */
async function treeBlobs(repo: string, tree: string, signal?: AbortSignal): Promise<BlobRef[]> {
  const listing = await runGit(repo, ['ls-tree', '-r', '-z', tree], signal);
  if (listing.code !== 0) return [];
  const out: BlobRef[] = [];
  for (const entry of tokens(listing.stdout, 0)) {
    const tab = entry.indexOf(9);
    const [, type, oid] = entry.toString('latin1', 0, Math.max(0, tab)).split(' ');
    if (tab !== -1 && type === 'blob' && oid !== undefined) out.push({ oid, path: decodeGitPath(entry.subarray(tab + 1)) });
  }
  return out;
}

/** The separator-terminated tokens of a whole output. */
function tokens(output: Buffer, separator: number): Buffer[] {
  const splitter = new TokenSplitter(separator);
  return [...splitter.push(output), ...splitter.end()];
}
