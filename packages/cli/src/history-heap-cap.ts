import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The old-generation limit (MB) a relaunched full-history scan starts with, or undefined for V8's own.
 *
 * Why a limit: V8 lets an old generation grow to up to 4× what survived its last full collection when its
 * limit is 2 GB or more (here 4 GB, a quarter of the memory), and to ~1.3–2× below that (the factor scales
 * with the limit). A history scan's main thread keeps ~40 MB live (the blob→commit index, rules, code) but
 * allocates per blob, so its heap grew to ~130 MB before each collection; with a 1.5 GB limit it stays at
 * ~80 MB: vuejs/core's peak RSS 336 → 275 MB (medians of 5, wall time +3 %, docs/scale.md).
 *
 * Only for repositories of up to MAX_STORED_BYTES of packs and loose objects. V8 also counts the Buffers the
 * main thread allocates (cat-file's output, the batches sent to workers) against the limit, so a smaller
 * heap means more full collections, in proportion to the bytes read: on typescript-eslint (162 MB of packs,
 * 2.6 GB of blobs) 45 instead of 3, +1.2 s of CPU, for a peak RSS (345 MB) still above 300.
 *
 * A limit is a hard one, so it is also sized from the repository: 2 KiB of heap per object in its packs,
 * loose directories and alternates (typescript-eslint needs ~125 B), never below MIN_CAP_MB, and none at all
 * when that reaches V8's 2 GB threshold or when no repository is found among the arguments. A limit the user
 * gave (NODE_OPTIONS or node's own flags) wins.
 */
export function historyHeapCapMb(argv: readonly string[], env: NodeJS.ProcessEnv, execArgv: readonly string[], cwd = process.cwd()): number | undefined {
  if ([env.NODE_OPTIONS ?? '', ...execArgv].some((flag) => /--max-old-space-size|--max-heap-size/.test(flag))) return undefined;
  const found = repositoryCandidates(argv).flatMap((candidate) => repositoryStats(resolve(cwd, candidate)) ?? []);
  if (found.length === 0) return undefined;
  const largest = found.reduce((a, b) => (b.objects > a.objects ? b : a));
  if (largest.storedBytes > MAX_STORED_BYTES) return undefined;
  const cap = Math.max(MIN_CAP_MB, Math.ceil((largest.objects * HEAP_BYTES_PER_OBJECT) / (1024 * 1024)));
  return cap >= V8_HIGH_GROWTH_MB ? undefined : cap;
}

const MAX_STORED_BYTES = 128 * 1024 * 1024;
const MIN_CAP_MB = 1536;
const HEAP_BYTES_PER_OBJECT = 2048;
/** At a limit of 2 GB and above (64-bit, no pointer compression) V8 uses its largest growing factor, 4. */
const V8_HIGH_GROWTH_MB = 2048;

/**
 * Arguments that may name the repository: every word after the command that is not an option, and `.`.
 * An option's value (`--branch main`) is tried too; taking the largest repository found errs towards a
 * higher limit.
 */
function repositoryCandidates(argv: readonly string[]): string[] {
  const command = argv.findIndex((a) => !a.startsWith('-'));
  return ['.', ...argv.slice(command + 1).filter((a) => !a.startsWith('-'))];
}

/** What a repository holds, estimated from its object files. */
export interface RepositoryStats {
  readonly objects: number;
  /** Bytes of its packs, plus ~2 KiB per loose object. */
  readonly storedBytes: number;
}

/** About how many objects the repository at `path` (worktree or bare) holds, and in how many bytes; undefined when it is not one. */
export function repositoryStats(path: string): RepositoryStats | undefined {
  const objects = objectsDirectory(path);
  if (objects === undefined) return undefined;
  const stats = { objects: 0, storedBytes: 0 };
  countObjects(objects, 0, stats);
  return stats;
}

function objectsDirectory(path: string): string | undefined {
  const dotGit = join(path, '.git');
  let gitDir: string | undefined;
  if (isDirectory(dotGit)) gitDir = dotGit;
  else if (isFile(dotGit)) {
    // A linked worktree or submodule: `.git` is a file naming the real git directory.
    const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '')?.[1];
    if (pointer !== undefined) gitDir = resolve(path, pointer);
  } else if (isDirectory(join(path, 'objects')) && isFile(join(path, 'HEAD'))) gitDir = path;
  if (gitDir === undefined) return undefined;
  // A linked worktree keeps its objects in the main repository's directory.
  const common = readText(join(gitDir, 'commondir'))?.trim();
  const objects = join(common === undefined || common === '' ? gitDir : resolve(gitDir, common), 'objects');
  return isDirectory(objects) ? objects : undefined;
}

/** Packed objects (from the pack indexes' sizes: 28 bytes per object), loose objects, and alternates. */
function countObjects(objects: string, depth: number, stats: { objects: number; storedBytes: number }): void {
  const packs = join(objects, 'pack');
  for (const name of list(packs)) {
    if (name.endsWith('.pack')) stats.storedBytes += sizeOf(join(packs, name));
    if (!name.endsWith('.idx')) continue;
    const size = sizeOf(join(packs, name));
    stats.objects += Math.max(0, Math.floor((size - PACK_INDEX_FIXED_BYTES) / PACK_INDEX_BYTES_PER_OBJECT));
  }
  for (const name of list(objects)) {
    if (!/^[0-9a-f]{2}$/.test(name)) continue;
    const loose = list(join(objects, name)).length;
    stats.objects += loose;
    stats.storedBytes += loose * LOOSE_OBJECT_BYTES;
  }
  if (depth < MAX_ALTERNATE_DEPTH) {
    for (const line of (readText(join(objects, 'info', 'alternates')) ?? '').split('\n')) {
      const alternate = line.trim();
      if (alternate === '' || alternate.startsWith('#')) continue;
      const dir = isAbsolute(alternate) ? alternate : resolve(objects, alternate);
      if (isDirectory(dir)) countObjects(dir, depth + 1, stats);
    }
  }
}

/** A loose object's file, compressed, for the size estimate (not worth a stat per file). */
const LOOSE_OBJECT_BYTES = 2048;
/** A version-2 pack index: 8 bytes of header, a 1 KiB fan-out table, two 20-byte checksums at the end. */
const PACK_INDEX_FIXED_BYTES = 8 + 1024 + 40;
/** Per object: its id (20 bytes), CRC (4) and offset (4); larger offsets only add to the estimate. */
const PACK_INDEX_BYTES_PER_OBJECT = 28;
const MAX_ALTERNATE_DEPTH = 5;

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function sizeOf(path: string): number {
  return stat(path)?.size ?? 0;
}

function isDirectory(path: string): boolean {
  return stat(path)?.isDirectory() === true;
}

function isFile(path: string): boolean {
  return stat(path)?.isFile() === true;
}

/** Any failure (missing, `file/.git` under a file, no permission) means: not what we look for. */
function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
