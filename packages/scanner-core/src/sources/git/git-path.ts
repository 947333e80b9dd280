const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A path as git stores it (bytes, not necessarily UTF-8) as a string for reports: valid UTF-8 as is,
 * otherwise each byte that is not part of valid UTF-8 as `\xNN`, so distinct names stay distinct and
 * nothing unprintable is invented.
 */
export function decodeGitPath(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return escapeInvalidUtf8(bytes);
  }
}

function escapeInvalidUtf8(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      out += `\\x${(bytes[i] ?? 0).toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += Buffer.from(bytes.subarray(i, i + length)).toString('utf8');
      i += length;
    }
  }
  return out;
}

/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 if none starts there. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  const need = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > bytes.length) return 0;
  try {
    utf8.decode(bytes.subarray(i, i + need));
    return need;
  } catch {
    return 0;
  }
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '"': 34, '\\': 92 };

/**
 * The bytes of a path as printed in patch headers: C-quoted (`"a\nb"`, octal escapes for other bytes)
 * when it holds special characters, else verbatim. A name git did not quote keeps a trailing TAB only if
 * git added it for GNU patch, so one trailing TAB is dropped.
 */
export function unquoteGitPath(text: Buffer): Buffer {
  if (text[0] !== 34 /* " */) return text[text.length - 1] === 9 ? text.subarray(0, -1) : text;
  const out: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const c = text[i] ?? 0;
    if (c === 34) break;
    if (c !== 92 /* \ */) {
      out.push(c);
      continue;
    }
    const next = text[i + 1] ?? 0;
    const octal = text.subarray(i + 1, i + 4).toString('latin1');
    if (/^[0-3][0-7]{2}$/.test(octal)) {
      out.push(parseInt(octal, 8));
      i += 3;
    } else {
      out.push(ESCAPES[String.fromCharCode(next)] ?? next);
      i += 1;
    }
  }
  return Buffer.from(out);
}
