import { looksLikeText, OffsetMap, type DecodedRun } from './decoded-run.js';

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function hexAt(data: Buffer, at: number, digits: number, end: number): number {
  if (at + digits > end) return -1;
  let value = 0;
  for (let i = 0; i < digits; i++) {
    const d = hexDigit(data[at + i] ?? 0);
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

/** Output buffer with the offset table that maps each decoded byte back to its escape. */
class Output {
  readonly bytes: Buffer;
  readonly map: OffsetMap;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
    this.map = new OffsetMap(capacity);
  }

  get full(): boolean {
    return this.length >= this.bytes.length;
  }

  byte(value: number, from: number): void {
    if (this.full) return;
    this.bytes[this.length++] = value;
    this.map.push(from);
  }

  codePoint(cp: number, from: number): void {
    for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) this.byte(b, from);
  }

  run(encoding: DecodedRun['encoding'], start: number, end: number): DecodedRun | undefined {
    const bytes = this.bytes.subarray(0, this.length);
    if (!looksLikeText(bytes)) return undefined;
    this.map.finish(end);
    const map = this.map;
    return { encoding, start, end, bytes, encodedSpan: (from, to) => map.span(from, to) };
  }
}

/** Decodes `%XX` escapes (URL encoding) in data[start, end); other bytes pass through. */
export function decodePercent(data: Buffer, start: number, end: number, maxBytes: number): DecodedRun | undefined {
  const out = new Output(Math.min(end - start, maxBytes));
  let i = start;
  while (i < end && !out.full) {
    const value = data[i] === 37 ? hexAt(data, i + 1, 2, end) : -1;
    if (value >= 0) {
      out.byte(value, i);
      i += 3;
    } else {
      out.byte(data[i] ?? 0, i);
      i++;
    }
  }
  return out.run('url', start, i);
}

const SIMPLE_ESCAPES: Record<number, number> = { 110: 10, 116: 9, 114: 13, 98: 8, 102: 12, 47: 47, 92: 92, 34: 34, 39: 39 };

/**
 * Decodes JSON/JS string escapes in data[start, end): `\uXXXX` (with surrogate pairs), `\xHH`, and the
 * one-letter escapes; other bytes pass through.
 */
export function decodeEscapes(data: Buffer, start: number, end: number, maxBytes: number): DecodedRun | undefined {
  const out = new Output(Math.min(end - start, maxBytes));
  let i = start;
  while (i < end && !out.full) {
    if (data[i] !== 92 || i + 1 >= end) {
      out.byte(data[i] ?? 0, i);
      i++;
      continue;
    }
    const kind = data[i + 1] ?? 0;
    if (kind === 117) {
      let cp = hexAt(data, i + 2, 4, end);
      let length = 6;
      if (cp >= 0xd800 && cp < 0xdc00 && data[i + 6] === 92 && data[i + 7] === 117) {
        const low = hexAt(data, i + 8, 4, end);
        if (low >= 0xdc00 && low < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          length = 12;
        }
      }
      if (cp >= 0) {
        out.codePoint(cp, i);
        i += length;
        continue;
      }
    } else if (kind === 120) {
      const value = hexAt(data, i + 2, 2, end);
      if (value >= 0) {
        out.codePoint(value, i);
        i += 4;
        continue;
      }
    } else if (SIMPLE_ESCAPES[kind] !== undefined) {
      out.byte(SIMPLE_ESCAPES[kind], i);
      i += 2;
      continue;
    }
    out.byte(92, i);
    i++;
  }
  return out.run('escape', start, i);
}
