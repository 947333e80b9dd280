import type { ChunkBase } from '../../chunk.js';
import { ByteSlab } from './byte-slab.js';
import { repeatedRuns } from './repeated-runs.js';

/** What DeltaBases adds to a blob's chunk (see Chunk.key and Chunk.base). */
export interface DeltaFacts {
  readonly key?: string;
  readonly base?: ChunkBase;
}

/**
 * Pairs a blob with the newer version of its file that was read before it (the log runs newest first), so
 * its chunk can name the bytes the two share and the engine need not match those again (see DeltaMatcher).
 * A copy of the newer version's bytes is kept until the older one is read, in a slab of BUDGET bytes; a blob
 * with no kept partner is matched whole, as before.
 */
export class DeltaBases {
  /** predecessor blob → the newer blob (and its bytes) waiting for it */
  readonly #waiting = new Map<string, { readonly oid: string; readonly bytes: Buffer }>();
  readonly #slab = new ByteSlab(BUDGET);

  /** Facts for a whole text blob as it is read; `predecessor` is the blob it replaced (BlobRef.predecessor). */
  facts(oid: string, data: Buffer, predecessor: string | undefined): DeltaFacts {
    const newer = this.#take(oid);
    const base: ChunkBase | undefined = newer === undefined ? undefined : { key: newer.oid, length: newer.bytes.length, same: repeatedRuns(data, newer.bytes) };
    if (newer !== undefined) this.#slab.release(newer.bytes);
    const bytes = predecessor !== undefined && data.length >= MIN_SIZE && !this.#waiting.has(predecessor) ? this.#slab.copy(data) : undefined;
    if (predecessor !== undefined && bytes !== undefined) this.#waiting.set(predecessor, { oid, bytes });
    return { ...(bytes === undefined ? {} : { key: oid }), ...(base === undefined ? {} : { base }) };
  }

  /** Drops what waits for a blob that was not matched as whole text (binary, too large, missing). */
  forget(oid: string): void {
    const newer = this.#take(oid);
    if (newer !== undefined) this.#slab.release(newer.bytes);
  }

  #take(oid: string): { readonly oid: string; readonly bytes: Buffer } | undefined {
    const newer = this.#waiting.get(oid);
    if (newer === undefined) return undefined;
    this.#waiting.delete(oid);
    return newer;
  }
}

/**
 * Smaller files are matched whole: the engine matches again within 8 KiB on each side of a change anyway
 * (see DeltaMatcher), so a delta only pays on larger files (lockfiles, snapshots, bundles, long modules).
 */
const MIN_SIZE = 24 * 1024;
/**
 * Bytes of newer versions kept waiting for their predecessor at most. A commit that rewrites many large files
 * at once (snapshots regenerated) keeps them all waiting: with 16 MB typescript-eslint's history matched 132 MB
 * more whole (1454 against 1322 MB read by the engine; 24 MB nearly as good, 64 no better), and took 10.62
 * against 10.06 s (4 interleaved runs), at the same peak RSS.
 */
const BUDGET = 32 * 1024 * 1024;
