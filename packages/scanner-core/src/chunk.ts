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
}

/** A chunk for a whole small object. */
export function wholeChunk(data: Buffer, origin: Origin): Chunk {
  return { data, origin, offset: 0, line: 1, column: 1, ownedStart: 0, ownedEnd: data.length };
}
