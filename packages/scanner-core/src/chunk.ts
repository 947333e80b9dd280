import type { Origin } from './origin.js';

/**
 * A run of bytes to scan. Small inputs are one chunk; large ones arrive as overlapping windows.
 * `offset`, `line` and `column` locate `data[0]` in the whole object so findings get whole-object
 * positions. The engine reports a match only if it starts in `[ownedStart, ownedEnd)` of `data`:
 * the overlap is there so matches across a boundary are seen whole, ownership so they are seen once.
 */
export interface Chunk {
  readonly data: Buffer;
  readonly origin: Origin;
  /** Byte offset of data[0] in the object. */
  readonly offset: number;
  /** 1-based line of data[0]. */
  readonly line: number;
  /** 1-based column (code points) of data[0]. */
  readonly column: number;
  readonly ownedStart: number;
  readonly ownedEnd: number;
  /**
   * Content identity (a git blob id) of a whole-object chunk whose findings a later chunk may reuse as its
   * `base` (see DeltaMatcher).
   */
  readonly key?: string;
  /** A whole-object chunk that repeats runs of an earlier chunk's bytes (the previous version of a file). */
  readonly base?: ChunkBase;
  /** Set by DeltaMatcher, never by a source: match only around some ranges (see ChunkFocus). */
  readonly focus?: ChunkFocus;
}

/**
 * `ranges`: `[from, to)`, ascending and disjoint; rules run near them and report matches starting in them.
 * Rules whose keyword is file-wide context still run over all of data when their keyword occurs, which is
 * looked for everywhere unless `contextFree` says the bytes outside the ranges hold none of those keywords.
 */
export interface ChunkFocus {
  readonly ranges: readonly (readonly [number, number])[];
  readonly contextFree: boolean;
}

export interface ChunkBase {
  /** The earlier chunk's `key`. */
  readonly key: string;
  /** Its length in bytes. */
  readonly length: number;
  /** `[at, baseAt, length]` triples, ascending: data[at, at + length) equals the earlier data[baseAt, baseAt + length). */
  readonly same: readonly number[];
}

/** A chunk for a whole small object. */
export function wholeChunk(data: Buffer, origin: Origin): Chunk {
  return { data, origin, offset: 0, line: 1, column: 1, ownedStart: 0, ownedEnd: data.length };
}
