/** What the first bytes of an item say about how to scan it. */
export type ContentKind = 'text' | 'utf16le' | 'utf16be' | 'binary';

const SNIFF_BYTES = 8000;

/**
 * Git's heuristic (a NUL in the first 8000 bytes means binary), except that UTF-16 text, which is full of
 * NULs, is recognised by its BOM or by reading as UTF-16 text (see looksUtf16) and transcoded instead of skipped.
 */
export function sniffContent(head: Uint8Array): ContentKind {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const n = Math.min(head.length, SNIFF_BYTES);
  // Native search: a JS loop over 8000 bytes per file was 1–2 % of a whole directory scan.
  if (head.subarray(0, n).indexOf(0) === -1) return 'text';
  if (n < 4) return 'binary';
  // One pass over the code units for what both readings need: NUL bytes at each parity, and U+0000 units
  // (two NUL bytes), which neither reading allows more than 1 % of. Executables and archives are full of
  // them, so most binaries end here, usually within their first few hundred bytes, instead of being read
  // as UTF-16 twice.
  const units = n >> 1;
  const maxBad = maxBadUnits(units);
  let nulEven = 0;
  let nulOdd = 0;
  let nulUnits = 0;
  for (let i = 0; i < 2 * units; i += 2) {
    const even = head[i] === 0;
    const odd = head[i + 1] === 0;
    if (even) nulEven++;
    if (odd) nulOdd++;
    if (even && odd && ++nulUnits > maxBad) return 'binary';
  }
  if (looksUtf16(head, units, 1, nulOdd)) return 'utf16le';
  if (looksUtf16(head, units, 0, nulEven)) return 'utf16be';
  return 'binary';
}

/** Code units that may be controls, U+0000 or broken surrogates in UTF-16 text (see looksUtf16). */
function maxBadUnits(units: number): number {
  return Math.floor(units / 100);
}

/** Whitespace and ESC (coloured logs): the C0 controls text holds; any other control code unit suggests binary. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b]);

/**
 * Reads the head's first `units` code units as UTF-16 with the high byte at `highAt` parity and asks whether it
 * is text: at least a tenth of the code units are Latin-1 (high byte NUL, so NULs sit at one parity only) and
 * almost none are controls, U+0000 or broken surrogate pairs, which binary data read as UTF-16 is full of. A
 * tenth, not most: text in UTF-16 without a BOM may be mostly non-Latin (`€`, Cyrillic, CJK) around ASCII keys
 * and tokens.
 */
function looksUtf16(head: Uint8Array, units: number, highAt: 0 | 1, nulHigh: number): boolean {
  // First the cheap necessary condition: NUL high bytes (counted by the caller) for a tenth of the units.
  if (nulHigh * 10 < units) return false;
  const maxBad = maxBadUnits(units);
  let latin = 0;
  let bad = 0;
  let awaitingLow = false;
  for (let i = 0; i < 2 * units; i += 2) {
    const high = head[i + highAt] ?? 0;
    const isLowSurrogate = high >= 0xdc && high <= 0xdf;
    if (awaitingLow !== isLowSurrogate && ++bad > maxBad) return false;
    awaitingLow = high >= 0xd8 && high <= 0xdb;
    if (high !== 0) continue;
    const low = head[i + 1 - highAt] ?? 0;
    if (low === 0 || (low < 0x20 && !TEXT_CONTROLS.has(low)) || (low >= 0x7f && low <= 0x9f)) {
      if (++bad > maxBad) return false;
    } else latin++;
  }
  return latin * 10 >= units;
}

/** UTF-16 bytes as UTF-8, BOM dropped, so the engine's byte patterns apply. */
export function utf16ToUtf8(data: Buffer, kind: 'utf16le' | 'utf16be'): Buffer {
  let bytes = data;
  if (kind === 'utf16be') {
    bytes = Buffer.from(data.subarray(0, data.length - (data.length % 2)));
    bytes.swap16();
  }
  const text = bytes.toString('utf16le');
  return Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8');
}
