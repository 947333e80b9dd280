/**
 * Where base64 or hex runs can be: the stretches of text worth handing to the run pattern (RADIX_RUN in
 * encoded-runs.ts). A run is at least 16 characters of the base64 alphabet, so a skip loop that looks at one
 * byte in 16 (and walks back only from an alphabet byte) finds every such stretch while reading a fraction of
 * the bytes; on source text it runs at 1–2 GB/s where one RE2 pass over everything runs at ~500 MB/s.
 * Segments that cannot hold a run (checked below, a necessary condition only) are left out.
 */

/** `[A-Za-z0-9+/_-]`: both base64 alphabets. */
const ALPHABET = byteClass('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-');
/** Bytes a window spans: the alphabet and base64 padding. */
const IN_WINDOW = byteClass('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-=');
/** First character of a 4-character base64 group of ASCII text (value < 32). */
const QUAD_START = byteClass('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef');
/** High hex digit of a printable ASCII byte. */
const HEX_HIGH = byteClass('234567');
const HEX_DIGIT = byteClass('0123456789abcdefABCDEF');
/** Segment bytes after which a hex run may start (`key_2f6b…`): the pattern's hex delimiter is `[^0-9A-Za-z]`. */
const HEX_DELIMITER = byteClass('+/_-');
const EQUALS = 0x3d;
const MIN_RUN = 16;

export interface RadixSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * The segments at or after `from` that may hold a run, in order. A segment is a stretch of alphabet bytes
 * with the `=` padding after it: a window (a maximal stretch of alphabet bytes and `=` holding 16 alphabet
 * bytes in a row) is cut after each run of `=`. Each segment is matched on its own, so where a run may begin
 * never depends on what the pattern consumed before it, nor on where the chunk holding it begins: a segment
 * that reaches back to the buffer's first byte when `from` is past it began in an earlier chunk (which owns
 * it) and is left out.
 */
export function* radixSegments(data: Uint8Array, from: number): Generator<RadixSpan> {
  for (let window = nextWindow(data, from); window !== undefined; window = nextWindow(data, window.end)) {
    let start = window.start;
    while (start < window.end) {
      let end = start;
      while (end < window.end && data[end] !== EQUALS) end++;
      while (end < window.end && data[end] === EQUALS) end++;
      if (!(start === 0 && from > 0) && end - start >= MIN_RUN && mayHoldRun(data, start, end)) yield { start, end };
      start = end;
    }
  }
}

/** The first window ending past `from + 15`, or undefined. */
function nextWindow(data: Uint8Array, from: number): RadixSpan | undefined {
  const n = data.length;
  let i = from + MIN_RUN - 1;
  while (i < n) {
    if (ALPHABET[data[i] ?? 0] === 0) {
      i += MIN_RUN;
      continue;
    }
    const low = i - (MIN_RUN - 1);
    let j = i - 1;
    while (j >= low && ALPHABET[data[j] ?? 0] === 1) j--;
    if (j >= low) {
      i = j + MIN_RUN;
      continue;
    }
    let start = low;
    while (start > 0 && IN_WINDOW[data[start - 1] ?? 0] === 1) start--;
    let end = i + 1;
    while (end < n && IN_WINDOW[data[end] ?? 0] === 1) end++;
    return { start, end };
  }
  return undefined;
}

/**
 * Whether the pattern could match in the segment: a base64 run at its start with four group-leading
 * characters of ASCII text, or a hex run of eight printable-ASCII pairs there or after `+/_-`.
 */
function mayHoldRun(data: Uint8Array, start: number, end: number): boolean {
  if (base64At(data, start, end) || hexAt(data, start, end)) return true;
  for (let k = start; k < end - MIN_RUN; k++) if (HEX_DELIMITER[data[k] ?? 0] === 1 && hexAt(data, k + 1, end)) return true;
  return false;
}

function base64At(data: Uint8Array, at: number, end: number): boolean {
  if (at + MIN_RUN > end) return false;
  for (let k = at; k < at + MIN_RUN; k += 4) if (QUAD_START[data[k] ?? 0] === 0) return false;
  for (let k = at; k < at + MIN_RUN; k++) if (ALPHABET[data[k] ?? 0] === 0) return false;
  return true;
}

function hexAt(data: Uint8Array, at: number, end: number): boolean {
  if (at + MIN_RUN > end) return false;
  for (let k = at; k < at + MIN_RUN; k += 2) if (HEX_HIGH[data[k] ?? 0] === 0 || HEX_DIGIT[data[k + 1] ?? 0] === 0) return false;
  return true;
}

function byteClass(chars: string): Uint8Array {
  const table = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}
