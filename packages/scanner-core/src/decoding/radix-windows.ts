/**
 * Where base64 or hex runs can be: the stretches of text worth handing to the run pattern (RADIX_RUN in
 * encoded-runs.ts). A run is at least 16 characters of the base64 alphabet, so a skip loop that looks at one
 * byte in 16 (and walks back only from an alphabet byte) finds every such stretch while reading a fraction of
 * the bytes; on source text it runs at 1–2 GB/s where one RE2 pass over everything runs at ~500 MB/s.
 *
 * A window is a maximal stretch of alphabet bytes and `=` holding 16 alphabet bytes in a row. No run crosses
 * a window's edge (the byte before it is not in the alphabet: the delimiter the pattern wants, or the line
 * start), so running the pattern on each window alone finds exactly the runs it finds on the whole text.
 * Windows that cannot hold a run (checked below, a necessary condition only) are left out.
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
/** Window bytes that end a hex run (`key_2f6b…`): the pattern's hex delimiter is `[^0-9A-Za-z]`. */
const HEX_DELIMITER = byteClass('+/_-=');
const EQUALS = 0x3d;
const MIN_RUN = 16;

export interface RadixWindow {
  readonly start: number;
  readonly end: number;
}

/** The first window at or after `from` that can hold a run starting at or after `from`, or undefined. */
export function nextRadixWindow(data: Uint8Array, from: number): RadixWindow | undefined {
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
    if (mayHoldRun(data, start, end)) return { start, end };
    i = end + MIN_RUN;
  }
  return undefined;
}

/**
 * Whether the pattern could match in the window: a base64 run starts at the window's start or after `=`
 * with four group-leading characters of ASCII text; a hex run starts there or after `+/_-` with eight
 * printable-ASCII hex pairs.
 */
function mayHoldRun(data: Uint8Array, start: number, end: number): boolean {
  if (base64At(data, start, end) || hexAt(data, start, end)) return true;
  for (let k = start; k < end - MIN_RUN; k++) {
    const c = data[k] ?? 0;
    if (HEX_DELIMITER[c] === 0) continue;
    if (hexAt(data, k + 1, end) || (c === EQUALS && base64At(data, k + 1, end))) return true;
  }
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
