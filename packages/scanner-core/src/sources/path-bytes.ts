import { sep } from 'node:path';

/**
 * A file-system path as the OS gives it. Names that are not valid UTF-8 stay raw bytes (a Buffer), since a
 * JS string cannot spell them and a lossy one names a different (usually missing) file.
 */
export type FsPath = string | Buffer;

/** `dir/name`, as a string when both are text, else as bytes. */
export function childPath(dir: FsPath, name: Buffer): FsPath {
  const text = utf8Exact(name);
  if (typeof dir === 'string' && text !== undefined) return dir.endsWith(sep) ? dir + text : dir + sep + text;
  const head = typeof dir === 'string' ? Buffer.from(dir) : dir;
  return Buffer.concat([head, head[head.length - 1] === sep.charCodeAt(0) ? Buffer.alloc(0) : Buffer.from(sep), name]);
}

/** The bytes as a string if they are exactly valid UTF-8, else undefined. */
export function utf8Exact(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  return Buffer.byteLength(text) === bytes.length && Buffer.from(text).equals(bytes) ? text : undefined;
}

/** A path for reports: valid UTF-8 as is, each byte of an invalid sequence as `\xNN`. */
export function pathText(path: FsPath): string {
  if (typeof path === 'string') return path;
  const exact = utf8Exact(path);
  if (exact !== undefined) return exact;
  let out = '';
  for (let i = 0; i < path.length; ) {
    const length = sequenceLength(path[i] ?? 0);
    const piece = length === 0 ? undefined : utf8Exact(path.subarray(i, i + length));
    if (piece !== undefined && i + length <= path.length) {
      out += piece;
      i += length;
    } else {
      out += `\\x${(path[i] ?? 0).toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}
