import type { DecodedRun } from './decoded-run.js';
import { looksLikeText } from './decoded-run.js';

const HEX = /^[0-9a-fA-F]+$/;
/** Base64 alphabet value of a character code, or -1 (both the standard and the URL-safe alphabets). */
function base64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43 || c === 45) return 62;
  if (c === 47 || c === 95) return 63;
  return -1;
}

/**
 * Cheap test before any decoding: in base64 of ASCII text the first character of every 4-character group
 * carries the top 6 bits of an ASCII byte, so its value is below 32 (`A`–`Z`, `a`–`f`). An identifier
 * such as `ConfigurationManagerFactory` fails this within a few groups without allocating anything.
 */
function quadsLookAscii(data: Buffer, start: number, end: number): boolean {
  for (let i = start, n = 0; i < end && n < 8; i += 4, n++) if (base64Value(data[i] ?? 0) >= 32) return false;
  return true;
}

/** Decodes data[start, end) as base64 (padding optional), at most `maxBytes` of output; undefined if not text. */
export function decodeBase64(data: Buffer, start: number, end: number, maxBytes: number): DecodedRun | undefined {
  let stop = end;
  while (stop > start && data[stop - 1] === 61) stop--;
  if (!quadsLookAscii(data, start, stop)) return undefined;
  const probe = Buffer.from(data.toString('latin1', start, Math.min(stop, start + 96)), 'base64');
  if (!looksLikeText(probe)) return undefined;
  const limit = Math.min(stop, start + Math.floor(maxBytes / 3) * 4);
  const bytes = Buffer.from(data.toString('latin1', start, limit), 'base64');
  if (!looksLikeText(bytes)) return undefined;
  const runEnd = limit === stop ? end : limit;
  return {
    encoding: 'base64',
    start,
    end: runEnd,
    bytes,
    // Decoded byte i is spread over characters floor(4i/3) .. ceil(4(i+1)/3); the last byte takes the padding.
    encodedSpan: (from, to) => [
      start + Math.floor((from * 4) / 3),
      to >= bytes.length ? runEnd : Math.min(limit, start + Math.ceil((to * 4) / 3)),
    ],
  };
}

/** Decodes an even-length run of hex digits, at most `maxBytes` of output; undefined if not text. */
export function decodeHex(data: Buffer, start: number, end: number, maxBytes: number): DecodedRun | undefined {
  const even = end - ((end - start) % 2);
  const limit = Math.min(even, start + maxBytes * 2);
  const text = data.toString('latin1', start, limit);
  if (!HEX.test(text)) return undefined;
  const bytes = Buffer.from(text, 'hex');
  if (!looksLikeText(bytes)) return undefined;
  return { encoding: 'hex', start, end: limit, bytes, encodedSpan: (from, to) => [start + 2 * from, start + 2 * to] };
}
