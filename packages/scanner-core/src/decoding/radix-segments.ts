/**
 * Where base64 or hex runs can be, found without running the run pattern (RADIX_RUN in encoded-runs.ts)
 * over every byte. A run is at least 16 characters of the base64 alphabet, so a skip loop that looks at one
 * byte in 16 (and walks back only from an alphabet byte) finds every stretch of 16+ alphabet bytes while
 * reading a fraction of the bytes: on source text 1–2 GB/s where one RE2 pass runs at ~550 MB/s.
 *
 * Each such stretch, with its `=` padding, is a segment. The pattern is run on a segment from the first byte
 * of the character before it (its delimiter), which gives exactly the matches one pass over the whole text
 * gives there: the pattern never consumes `=` or anything past a stretch, so no match carries over from one
 * segment to the next, and the delimiter is decoded as the whole pass decodes it (a multi-byte character is
 * a delimiter, a stray invalid byte is not). Segments that cannot hold a run are left out (checked below: a
 * necessary condition only). In text dense with long identifiers or paths (minified code, kebab-case
 * names) this loop is slower than RE2; there the caller is told to finish with one pattern pass from a
 * segment boundary, which finds the same runs.
 */

/** `[A-Za-z0-9+/_-]`: both base64 alphabets. */
const ALPHABET = byteClass('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-');
/** First character of a 4-character base64 group of ASCII text (value < 32). */
const QUAD_START = byteClass('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef');
/** High hex digit of a printable ASCII byte. */
const HEX_HIGH = byteClass('234567');
const HEX_DIGIT = byteClass('0123456789abcdefABCDEF');
/** Stretch bytes after which a hex run may start (`key_2f6b…`): the pattern's hex delimiter is `[^0-9A-Za-z]`. */
const HEX_DELIMITER = byteClass('+/_-');
const EQUALS = 0x3d;
const MIN_RUN = 16;
/**
 * Past this many stretches, text whose stretches cover more than a fifth of it is dense (see above): the
 * loop walks every byte of a stretch, RE2 runs at one speed. Measured: kebab-case TypeScript ~30 % and
 * minified code ~22 % (RE2 faster), logs with ids ~15 % (the loop 1.4× faster), source and config 3 %
 * (the loop 1.5–3× faster).
 */
const DENSE_AFTER = 16;
const DENSE_SHARE = 0.2;

export interface RadixSegment {
  readonly kind: 'segment';
  /** Where to run the pattern from: the first byte of the delimiter before `start` (or `start` at 0). */
  readonly textStart: number;
  readonly start: number;
  /** After the stretch and its `=` padding. */
  readonly end: number;
}

/** Dense text: run the pattern over the rest of the buffer from `resumeAt` (the end of a stretch). */
export interface RadixDense {
  readonly kind: 'dense';
  readonly resumeAt: number;
}

/**
 * The segments at or after `from` that may hold a run, in order, then possibly one `dense` marker; none that
 * starts at or after `to` (the caller's runs end there). A stretch that reaches back to the buffer's first
 * byte when `from` is past it began in an earlier chunk (which owns it) and is left out; so is any run
 * starting before `from` in the caller. A list, not a generator: the skip loop ran ~30 % slower inside one.
 */
export function radixSegments(data: Uint8Array, from: number, to = data.length): (RadixSegment | RadixDense)[] {
  const out: (RadixSegment | RadixDense)[] = [];
  const n = data.length;
  let stretches = 0;
  let stretchBytes = 0;
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
    while (start > 0 && ALPHABET[data[start - 1] ?? 0] === 1) start--;
    if (start >= to) break;
    let stretchEnd = i + 1;
    while (stretchEnd < n && ALPHABET[data[stretchEnd] ?? 0] === 1) stretchEnd++;
    let end = stretchEnd;
    while (end < n && data[end] === EQUALS) end++;
    if (!(start === 0 && from > 0) && mayHoldRun(data, start, stretchEnd)) out.push({ kind: 'segment', textStart: delimiterStart(data, start), start, end });
    stretches++;
    stretchBytes += stretchEnd - start;
    if (stretches > DENSE_AFTER && stretchBytes > DENSE_SHARE * (end - from)) {
      // From the stretch's end: a `=` after it is the delimiter of a run right behind it.
      if (end < n) out.push({ kind: 'dense', resumeAt: stretchEnd });
      break;
    }
    // The next stretch may begin right at `end` (after `=` padding).
    i = end + MIN_RUN - 1;
  }
  return out;
}

/**
 * The runs the pattern finds in a segment, found in JS (the pattern's per-call cost is most of what a
 * segment costs): `[start, end, start, end, …]`, each start just after its delimiter and each end where the
 * pattern's match ends (before any `=`). Undefined when the segment's delimiter is not ASCII: whether the
 * pattern's `[^…]` takes a multi-byte character or a stray byte depends on its UTF-8 validity, and the caller
 * runs the pattern there instead. The same runs as the pattern, checked by fast-check (radix-segments.test.ts):
 * - a base64 run can only start at the stretch's start (inside it every byte is of the alphabet, so none can
 *   be a delimiter), and then takes the whole stretch;
 * - otherwise hex runs, of 8+ pairs with a high digit 2–7, start at the stretch's start or after a `+/_-`
 *   in it, leftmost first, each search going on where the last run ended.
 */
export function segmentRuns(data: Uint8Array, segment: RadixSegment): number[] | undefined {
  const { textStart, start } = segment;
  if (!(textStart === start || (start - textStart === 1 && (data[textStart] ?? 0) < 0x80))) return undefined;
  let stretchEnd = segment.end;
  while (stretchEnd > start && data[stretchEnd - 1] === EQUALS) stretchEnd--;
  if (stretchEnd - start >= MIN_RUN && QUAD_START[data[start] ?? 0] === 1 && QUAD_START[data[start + 4] ?? 0] === 1 && QUAD_START[data[start + 8] ?? 0] === 1 && QUAD_START[data[start + 12] ?? 0] === 1) {
    return [start, stretchEnd];
  }
  const runs: number[] = [];
  // `at`: where a hex run may start (its delimiter just before it), from the stretch's start on.
  let at = start;
  while (at + MIN_RUN <= stretchEnd) {
    let end = at;
    while (end + 1 < stretchEnd && HEX_HIGH[data[end] ?? 0] === 1 && HEX_DIGIT[data[end + 1] ?? 0] === 1) end += 2;
    if (end - at >= MIN_RUN) {
      runs.push(at, end);
      at = end; // the next run's delimiter may be the byte right after this one
    }
    at = nextHexStart(data, at, stretchEnd);
  }
  return runs;
}

/** Just after the next `+/_-` at or after `from` within the stretch, or the stretch's end. */
function nextHexStart(data: Uint8Array, from: number, stretchEnd: number): number {
  for (let k = from; k < stretchEnd; k++) if (HEX_DELIMITER[data[k] ?? 0] === 1) return k + 1;
  return stretchEnd;
}

/** The first byte of the character before `start`: back over up to three UTF-8 continuation bytes to a lead. */
function delimiterStart(data: Uint8Array, start: number): number {
  if (start === 0) return 0;
  let p = start - 1;
  for (let k = 0; k < 3 && p > 0 && ((data[p] ?? 0) & 0xc0) === 0x80; k++) p--;
  return ((data[p] ?? 0) & 0xc0) === 0xc0 ? p : start - 1;
}

/**
 * Whether the pattern could match in the stretch: a base64 run at its start with four group-leading
 * characters of ASCII text, or a hex run of eight printable-ASCII pairs there or after `+/_-`.
 */
function mayHoldRun(data: Uint8Array, start: number, end: number): boolean {
  if (QUAD_START[data[start] ?? 0] === 1 && QUAD_START[data[start + 4] ?? 0] === 1 && QUAD_START[data[start + 8] ?? 0] === 1 && QUAD_START[data[start + 12] ?? 0] === 1) return true;
  if (hexAt(data, start, end)) return true;
  for (let k = start; k < end - MIN_RUN; k++) if (HEX_DELIMITER[data[k] ?? 0] === 1 && hexAt(data, k + 1, end)) return true;
  return false;
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
