import type { Chunk } from '../chunk.js';
import type { Origin } from '../origin.js';
import type { ChunkMemory } from './byte-ring.js';

export interface WindowOptions {
  /** Bytes per window. */
  readonly windowSize: number;
  /** Bytes shared by consecutive windows; at least twice the longest match the engine must see whole. */
  readonly overlap: number;
}

const window = { windowSize: 8 * 1024 * 1024, overlap: 64 * 1024 };

/** The window of the dir, stdin, git and image sources (logs use their own 1 MiB window). */
export const DEFAULT_WINDOW: WindowOptions = window;

/** Smallest and largest `--max-line-window`: four overlaps, and what one Buffer window may sensibly hold. */
export const WINDOW_LIMITS = { min: 4 * window.overlap, max: 512 * 1024 * 1024 } as const;

/**
 * `--max-line-window BYTES`: items larger than this (a minified bundle, a 50 MB single-line log) are read in
 * overlapping windows of this size. Process-wide, set once by the CLI before a scan.
 */
export function setWindowSize(bytes: number): void {
  if (!Number.isInteger(bytes) || bytes < WINDOW_LIMITS.min || bytes > WINDOW_LIMITS.max) {
    throw new RangeError(`--max-line-window takes a whole number of bytes from ${WINDOW_LIMITS.min} to ${WINDOW_LIMITS.max}`);
  }
  window.windowSize = bytes;
}

/**
 * Cuts a byte stream into overlapping windows. Window k owns match starts from the middle of its leading
 * overlap to the middle of its trailing overlap, so every match no longer than overlap/2 lies whole in the
 * window that owns its start, and each start is owned by exactly one window. Each window's bytes are a copy,
 * lent from `memory` when it has room (the caller gives it back once done with the chunk).
 */
export async function* windowedChunks(
  stream: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
  origin: Origin,
  options: WindowOptions = DEFAULT_WINDOW,
  memory?: ChunkMemory,
): AsyncGenerator<Chunk> {
  const { windowSize, overlap } = options;
  if (windowSize < 2 * overlap || overlap < 2) throw new RangeError('windowSize must be at least twice the overlap');
  // The leading half belongs to the previous window, the rest to this one; odd overlaps split unevenly.
  const half = overlap >> 1;
  const tail = overlap - half;
  const window = Buffer.allocUnsafe(windowSize);
  let filled = 0;
  let offset = 0;
  let line = 1;
  let column = 1;
  let first = true;
  const emit = (length: number, last: boolean): Chunk => {
    const data = memory?.take(length) ?? Buffer.allocUnsafe(length);
    window.copy(data, 0, 0, length);
    return {
      data,
      origin,
      offset,
      line,
      column,
      ownedStart: first ? 0 : half,
      ownedEnd: last ? length : length - tail,
    };
  };
  try {
    yield* fill();
  } catch (error) {
    // The input broke off (a truncated archive, a read error): what arrived is still scanned, then the
    // caller learns why the item ended early.
    if (filled > 0) yield emit(filled, true);
    throw error;
  }
  // After a full window the kept overlap still owns its second half, so it is always emitted.
  if (filled > 0) yield emit(filled, true);

  async function* fill(): AsyncGenerator<Chunk> {
    for await (const piece of stream) {
      let from = 0;
      while (from < piece.length) {
        const n = Math.min(piece.length - from, windowSize - filled);
        window.set(piece.subarray(from, from + n), filled);
        filled += n;
        from += n;
        if (filled === windowSize) {
          yield emit(filled, false);
          first = false;
          const advance = filled - overlap;
          ({ line, column } = advancePosition(window, advance, line, column));
          offset += advance;
          window.copyWithin(0, advance, filled);
          filled = overlap;
        }
      }
    }
  }
}

/** Line and column after `length` more bytes of `data`, starting from (line, column). */
function advancePosition(data: Buffer, length: number, line: number, column: number): { line: number; column: number } {
  let lastNl = -1;
  for (let nl = data.indexOf(10); nl !== -1 && nl < length; nl = data.indexOf(10, nl + 1)) {
    line++;
    lastNl = nl;
  }
  let points = 0;
  for (let i = lastNl + 1; i < length; i++) if (((data[i] ?? 0) & 0xc0) !== 0x80) points++;
  return { line, column: lastNl === -1 ? column + points : 1 + points };
}
