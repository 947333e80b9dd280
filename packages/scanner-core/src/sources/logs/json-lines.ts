const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
/** A line counts as JSON when a `{` opens it, or a `{"` follows a short prefix (timestamp, CRI/docker stream tag). */
const JSON_PREFIX_BYTES = 128;

/** Whether the line starting at `lineStart` holds a JSON object (so its string escapes are worth undoing). */
export function isJsonLine(data: Buffer, lineStart: number): boolean {
  let i = lineStart;
  while (i < data.length && (data[i] === 0x20 || data[i] === 0x09)) i++;
  if (data[i] === 0x7b) return true;
  const end = Math.min(data.length, lineStart + JSON_PREFIX_BYTES);
  const brace = data.indexOf('{"', lineStart);
  if (brace === -1 || brace >= end) return false;
  const nl = data.indexOf(NEWLINE, lineStart);
  return nl === -1 || nl > brace;
}

/**
 * The byte ranges of JSON lines to unescape: each JSON string that holds a text-changing escape, widened
 * back by up to KEY_CONTEXT bytes of its line so the key in front (`"token":`) is seen with it. Only ranges
 * that could hold a match starting in [ownedStart, ownedEnd). `headIsJson` says whether the line data[0]
 * sits on is JSON when its start lies before data[0]. Lines without such an escape are skipped: the raw
 * scan sees what the app wrote. (Whole lines were unescaped before: in logs where every line escapes `/`
 * that rescanned a quarter of all bytes.)
 */
export function escapedJsonRanges(data: Buffer, ownedStart: number, ownedEnd: number, headIsJson: boolean): [number, number][] {
  const ranges: [number, number][] = [];
  let from = data.lastIndexOf(NEWLINE, ownedStart - 1) + 1;
  if (ownedStart === 0) from = 0;
  for (let bs = data.indexOf(BACKSLASH, from); bs !== -1; bs = data.indexOf(BACKSLASH, from)) {
    const lineStart = data.lastIndexOf(NEWLINE, bs) + 1;
    if (lineStart >= ownedEnd) break;
    let lineEnd = data.indexOf(NEWLINE, bs);
    if (lineEnd === -1) lineEnd = data.length;
    const json = (lineStart === 0 ? headIsJson : isJsonLine(data, lineStart)) && changesText(data, bs, lineEnd);
    if (json) pushStringRanges(data, lineStart, lineEnd > lineStart && data[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd, bs, ownedEnd, ranges);
    from = lineEnd + 1;
    if (from >= data.length) break;
  }
  return ranges;
}

/**
 * How far before an escaped JSON string its key is looked for: the key (`"token":`) is unescaped with the
 * string, and when no key is found (an array element, broken JSON) this many bytes of the line are.
 */
const KEY_CONTEXT = 96;
const QUOTE = 0x22;
const COLON = 0x3a;

/**
 * Adds the ranges of the strings in line [lineStart, lineEnd) that hold a text-changing escape, merged.
 * A string's bounds are its unescaped quotes; an escape outside any string (broken JSON) takes the line.
 */
function pushStringRanges(data: Buffer, lineStart: number, lineEnd: number, firstBackslash: number, ownedEnd: number, ranges: [number, number][]): void {
  for (let bs = firstBackslash; bs !== -1 && bs < lineEnd; ) {
    const next = data[bs + 1];
    if (next === QUOTE || next === BACKSLASH) {
      bs = data.indexOf(BACKSLASH, bs + 2);
      continue;
    }
    const open = previousQuote(data, lineStart, bs);
    const close = open === -1 ? -1 : nextQuote(data, bs + 2, lineEnd);
    const start = open === -1 ? lineStart : keyStart(data, lineStart, open);
    const end = close === -1 ? lineEnd : close + 1;
    if (start >= ownedEnd) return;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
    if (end >= lineEnd) return;
    bs = data.indexOf(BACKSLASH, end);
  }
}

/**
 * Where the unescaped text for the string opening at `open` starts: the opening quote of its key when the
 * string is an object member's value (`"key": "…`) and the key begins within KEY_CONTEXT bytes, else
 * KEY_CONTEXT bytes back. Only the key, not a fixed stretch of line: in logs whose every line escapes `/`
 * (`"path":"\/api\/v1"`), 96 bytes of context per short string made the rescanned text 19 % of the log.
 */
function keyStart(data: Buffer, lineStart: number, open: number): number {
  const floor = Math.max(lineStart, open - KEY_CONTEXT);
  let i = open - 1;
  while (i >= floor && isJsonSpace(data[i])) i--;
  if (i < floor || data[i] !== COLON) return floor;
  i--;
  while (i >= floor && isJsonSpace(data[i])) i--;
  if (i < floor || data[i] !== QUOTE || escaped(data, lineStart, i)) return floor;
  const keyOpen = previousQuote(data, floor, i);
  return keyOpen === -1 ? floor : keyOpen;
}

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09;
}

/** The quote that opens the string holding position `at` (an unescaped `"` before it), or -1. */
function previousQuote(data: Buffer, lineStart: number, at: number): number {
  for (let q = data.lastIndexOf(QUOTE, at - 1); q >= lineStart; q = data.lastIndexOf(QUOTE, q - 1)) {
    if (!escaped(data, lineStart, q)) return q;
  }
  return -1;
}

/** The next unescaped quote from `from` within the line, or -1. */
function nextQuote(data: Buffer, from: number, lineEnd: number): number {
  for (let q = data.indexOf(QUOTE, from); q !== -1 && q < lineEnd; q = data.indexOf(QUOTE, q + 1)) {
    if (!escaped(data, from, q)) return q;
  }
  return -1;
}

/** Whether the byte at `at` follows an odd run of backslashes (that started at or after `floor`). */
function escaped(data: Buffer, floor: number, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= floor && data[i] === BACKSLASH; i--) n++;
  return n % 2 === 1;
}

/**
 * Whether the line has an escape that can hide a secret from the raw scan: `\/`, `\uXXXX` or a control
 * escape. Lines whose only escapes are `\"` and `\\` (the common case in nested JSON) are left to the raw
 * scan: secrets hardly contain quotes or backslashes, and the rules accept `\"` around values.
 */
function changesText(data: Buffer, firstBackslash: number, lineEnd: number): boolean {
  for (let bs = firstBackslash; bs !== -1 && bs < lineEnd; bs = data.indexOf(BACKSLASH, bs + 2)) {
    const next = data[bs + 1];
    if (next !== 0x22 && next !== BACKSLASH) return true;
  }
  return false;
}

/** Text with JSON string escapes undone, and the way back from its offsets to the raw bytes. */
export interface UnescapedText {
  readonly data: Buffer;
  /** Raw offset of the byte at unescaped offset `u` (a decoded escape maps to its backslash). */
  rawStart(u: number): number;
  /** Raw offset just past the byte before unescaped offset `u` (a decoded escape maps past its last char). */
  rawEnd(u: number): number;
}

/** The byte a two-character escape stands for (`\n` → 0x0a), by the byte after the backslash; 0 for none. */
const SIMPLE_ESCAPES = new Uint8Array(256);
for (const [kind, byte] of [
  [0x22, 0x22], // \"
  [0x5c, 0x5c], // \\
  [0x2f, 0x2f], // \/
  [0x62, 0x08], // \b
  [0x66, 0x0c], // \f
  [0x6e, 0x0a], // \n
  [0x72, 0x0d], // \r
  [0x74, 0x09], // \t
] as const) {
  SIMPLE_ESCAPES[kind] = byte;
}

/**
 * Undoes JSON escapes (`\"`, `\/`, `\n`, `\u0041`, surrogate pairs) in the given raw ranges, joined by
 * newlines. Anything that is not a valid escape is copied as it is. The offset map back to the raw bytes is
 * built only when first asked for (a match in the text), by walking the ranges again: most unescaped text
 * holds no match, and recording one segment per escape as it went cost ~40 % of the unescaping.
 */
export function unescapeJson(raw: Buffer, ranges: readonly (readonly [number, number])[]): UnescapedText {
  let size = ranges.length;
  for (const [s, e] of ranges) size += e - s;
  const out = Buffer.allocUnsafe(size); // unescaping never grows the text
  const length = unescapeRanges(raw, ranges, out, undefined);
  return new UnescapedRanges(out.subarray(0, length), raw, ranges);
}

/**
 * Walks the ranges as unescaped: writes the text into `out` and/or its offset map into `segments` (one
 * segment per escape and per literal run after it); returns the text's length.
 */
function unescapeRanges(raw: Buffer, ranges: readonly (readonly [number, number])[], out: Buffer | undefined, segments: Segments | undefined): number {
  let u = 0;
  for (const [start, end] of ranges) {
    segments?.add(u, start, false);
    let i = start;
    while (i < end) {
      // Byte by byte: the literal runs between escapes are a few bytes (`\/api\/v1`), where a
      // Buffer.indexOf and a Buffer.copy per run cost more than the bytes.
      const byte = raw[i] ?? 0;
      if (byte !== BACKSLASH) {
        if (out !== undefined) out[u] = byte;
        u++;
        i++;
        continue;
      }
      const simple = i + 1 < end ? (SIMPLE_ESCAPES[raw[i + 1] ?? 0] ?? 0) : 0;
      if (simple !== 0) {
        // The common escapes (`\/`, `\"`, `\n`) without allocating a Buffer each.
        segments?.add(u, i, true);
        if (out !== undefined) out[u] = simple;
        u++;
        i += 2;
        segments?.add(u, i, false);
        continue;
      }
      const decoded = decodeUnicodeEscape(raw, i, end);
      if (decoded === undefined) {
        if (out !== undefined) out[u] = BACKSLASH;
        u++;
        i++;
        continue;
      }
      segments?.add(u, i, true);
      if (out !== undefined) decoded.bytes.copy(out, u);
      u += decoded.bytes.length;
      i += decoded.length;
      segments?.add(u, i, false);
    }
    segments?.add(u, end, false);
    if (out !== undefined) out[u] = NEWLINE;
    u++;
  }
  return u;
}

/** Unescaped text whose offset map is built on the first lookup (see unescapeJson). */
class UnescapedRanges implements UnescapedText {
  readonly data: Buffer;
  readonly #raw: Buffer;
  readonly #ranges: readonly (readonly [number, number])[];
  #segments: Segments | undefined;

  constructor(data: Buffer, raw: Buffer, ranges: readonly (readonly [number, number])[]) {
    this.data = data;
    this.#raw = raw;
    this.#ranges = ranges;
  }

  rawStart(at: number): number {
    const map = this.#map();
    const k = map.last(at);
    return (map.r[k] ?? 0) + (map.escape[k] === true ? 0 : at - (map.u[k] ?? 0));
  }

  rawEnd(at: number): number {
    const map = this.#map();
    if (at === 0) return map.r[0] ?? 0;
    const k = map.last(at - 1);
    return map.escape[k] === true ? (map.r[k + 1] ?? 0) : (map.r[k] ?? 0) + (at - (map.u[k] ?? 0));
  }

  #map(): Segments {
    if (this.#segments === undefined) {
      this.#segments = new Segments();
      unescapeRanges(this.#raw, this.#ranges, undefined, this.#segments);
    }
    return this.#segments;
  }
}

/**
 * The offset map of an unescaped text, one entry per escape and per literal run after it. A class, not a
 * closure made per call: optimized code that inlined one call's closure bailed out at the next call, whose
 * closure is another ("wrong call target").
 */
class Segments {
  readonly u: number[] = [];
  readonly r: number[] = [];
  readonly escape: boolean[] = [];

  add(u: number, r: number, escape: boolean): void {
    this.u.push(u);
    this.r.push(r);
    this.escape.push(escape);
  }

  /** The last segment starting at or before unescaped offset `at`. */
  last(at: number): number {
    let lo = 0;
    let hi = this.u.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.u[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * The bytes a `\uXXXX` escape (or surrogate pair) at raw[bs] stands for and how many raw bytes it spans, or
 * undefined. (The two-character escapes are SIMPLE_ESCAPES.)
 */
function decodeUnicodeEscape(raw: Buffer, bs: number, end: number): { bytes: Buffer; length: number } | undefined {
  if (bs + 1 >= end || raw[bs + 1] !== 0x75) return undefined; // \u
  const unit = hex4(raw, bs + 2, end);
  if (unit === undefined) return undefined;
  if (unit >= 0xd800 && unit < 0xdc00 && raw[bs + 6] === BACKSLASH && raw[bs + 7] === 0x75) {
    const low = hex4(raw, bs + 8, end);
    if (low !== undefined && low >= 0xdc00 && low < 0xe000) {
      return { bytes: Buffer.from(String.fromCharCode(unit, low), 'utf8'), length: 12 };
    }
  }
  return { bytes: Buffer.from(String.fromCharCode(unit), 'utf8'), length: 6 };
}

function hex4(raw: Buffer, at: number, end: number): number | undefined {
  if (at + 4 > end) return undefined;
  const text = raw.toString('latin1', at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(text) ? Number.parseInt(text, 16) : undefined;
}
