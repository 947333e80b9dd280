/** Tar's 512-byte header blocks, as POSIX ustar, pax and GNU tar write them (tar-index.ts, tar-entries.ts). */

export const TAR_BLOCK = 512;

/** A pax or GNU long-name header's data is read whole; more than this is not a header but damage. */
export const MAX_LONG_HEADER = 4 * 1024 * 1024;

export type TarHeaderType = 'file' | 'directory' | 'symlink' | 'link' | 'other' | 'gnu-long-path' | 'gnu-long-link-path' | 'pax-header' | 'pax-global-header';

export interface TarHeader {
  /** As stored: the ustar prefix joined on, long names and pax records not yet applied. */
  readonly name: string;
  readonly type: TarHeaderType;
  /** Bytes of data after the header (before padding to the next block); NaN when the field is unreadable. */
  readonly size: number;
  readonly linkname?: string;
}

/**
 * Decodes one header block; null for a block of zeros (the end-of-archive marker, or padding). Throws on a
 * checksum that does not match, and on a block that is neither ustar nor GNU (no magic): damage, or a
 * compressed stream read as a tar.
 */
export function decodeTarHeader(block: Buffer): TarHeader | null {
  const sum = headerChecksum(block);
  if (sum === EMPTY_SUM) return null;
  if (tarNumber(block.subarray(148, 156)) !== sum) throw new Error('invalid tar header (checksum mismatch): corrupt, or still compressed');
  const ustar = block.toString('latin1', 257, 263) === 'ustar\0';
  if (!ustar && block.toString('latin1', 257, 263) !== 'ustar ') throw new Error('invalid tar header (neither ustar nor GNU)');
  const flag = block[156] ?? 0;
  let name = cString(block.subarray(0, 100));
  if (ustar && block[345] !== 0) name = `${cString(block.subarray(345, 500))}/${name}`;
  // Old tars mark a directory by the trailing slash of a regular-file entry.
  const type = (flag === 0 || flag === 0x30) && name.endsWith('/') ? 'directory' : typeOf(flag);
  const linkname = block[157] === 0 ? undefined : cString(block.subarray(157, 257));
  return { name, type, size: tarNumber(block.subarray(124, 136)), ...(linkname === undefined ? {} : { linkname }) };
}

/** The sum tar stores in a header: every byte, with the checksum field itself counted as spaces. */
function headerChecksum(block: Buffer): number {
  let sum = EMPTY_SUM;
  for (let i = 0; i < 148; i++) sum += block[i] ?? 0;
  for (let i = 156; i < TAR_BLOCK; i++) sum += block[i] ?? 0;
  return sum;
}

/** A numeric field: octal text (leading spaces, ending at a space or NUL), or GNU base-256 for large values (NaN if neither). */
function tarNumber(field: Buffer): number {
  const first = field[0] ?? 0;
  if (first === 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  if ((first & 0x80) !== 0) return Number.NaN; // negative (0xff) or not a number: no size or checksum is either
  let start = 0;
  while (start < field.length && (field[start] === 0x20 || field[start] === 0)) start++;
  let end = start;
  while (end < field.length && field[end] !== 0x20 && field[end] !== 0) end++;
  return end === start ? 0 : Number.parseInt(field.toString('latin1', start, end), 8);
}

/**
 * A member's header with the GNU long names and pax records that came before it applied: pax wins over a GNU long
 * name, and both over the header's own fields (as tar-stream's extract reads them).
 */
export function withLongNames(header: TarHeader, longPath: string | undefined, longLink: string | undefined, pax: Readonly<Record<string, string>> | undefined): TarHeader {
  const name = pax?.['path'] ?? longPath ?? header.name;
  const linkname = pax?.['linkpath'] ?? longLink ?? header.linkname;
  const size = pax?.['size'] === undefined ? header.size : Number.parseInt(pax['size'], 10);
  return { name, type: header.type, size, ...(linkname === undefined ? {} : { linkname }) };
}

/** Text up to the first NUL, as UTF-8. */
export function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end === -1 ? field.length : end);
}

/** Pax extended header records: `<length> <key>=<value>\n`, each length counting the whole record. */
export function decodePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(32);
    const length = Number.parseInt(rest.toString('latin1', 0, space), 10);
    if (space === -1 || !(length > 0) || length > rest.length) break;
    const record = rest.toString('utf8', space + 1, length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(length);
  }
  return out;
}

/** What a member is to a reader of files: the four kinds it handles, anything else (a device, a fifo) 'other'. */
export function memberKind(type: TarHeaderType): 'file' | 'directory' | 'symlink' | 'link' | 'other' {
  return type === 'file' || type === 'directory' || type === 'symlink' || type === 'link' ? type : 'other';
}

/** A pax or GNU header whose data names or describes the member after it. */
export function isLongHeader(type: TarHeaderType): boolean {
  return type === 'gnu-long-path' || type === 'gnu-long-link-path' || type === 'pax-header' || type === 'pax-global-header';
}

/** Bytes from the end of `size` bytes of data to the next block boundary. */
export function paddingAfter(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

const EMPTY_SUM = 8 * 0x20;

function typeOf(flag: number): TarHeaderType {
  switch (String.fromCharCode(flag)) {
    case '1':
      return 'link';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    case '3': // character device
    case '4': // block device
    case '6': // fifo
      return 'other';
    case 'x':
      return 'pax-header';
    case 'g':
      return 'pax-global-header';
    case 'K':
      return 'gnu-long-link-path';
    case 'L':
    case 'N':
      return 'gnu-long-path';
    default:
      // '0', NUL and '7' (contiguous) are regular files; so is any type this reader does not know (GNU sparse,
      // volume labels…): their data is scanned rather than silently passed over.
      return 'file';
  }
}
