import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { cString, decodePax, decodeTarHeader, isLongHeader, MAX_LONG_HEADER, memberKind, paddingAfter, TAR_BLOCK, withLongNames, type TarHeader } from './tar-header.js';

/** One member of a tar file on disk: where its data lies, so it can be read without reading the rest. */
export interface IndexedTarEntry {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  readonly size: number;
  /** Byte offset of the member's data in the tar file. */
  readonly offset: number;
  readonly linkname?: string;
}


/**
 * A random-access view of an uncompressed tar file: only the 512-byte headers are read (one seek per
 * member), so a 5 GB `docker save` archive is indexed in milliseconds and its layers can then be read
 * in any order. Names are only ever map keys, never filesystem paths.
 */
export class TarIndex {
  readonly path: string;
  readonly entries: ReadonlyMap<string, IndexedTarEntry>;

  private constructor(path: string, entries: ReadonlyMap<string, IndexedTarEntry>) {
    this.path = path;
    this.entries = entries;
  }

  /** Reads every header. Throws an Error with a short reason when the file is not a tar or is truncated. */
  static async open(path: string): Promise<TarIndex> {
    const handle = await open(path, 'r');
    try {
      return new TarIndex(path, await readHeaders(handle));
    } finally {
      await handle.close();
    }
  }

  /** The member a name refers to after following symlinks and hard links (Podman's `<id>/layer.tar`). */
  resolve(name: string): IndexedTarEntry | undefined {
    let current = normalizeMemberName(name);
    for (let hops = 0; hops < 16; hops++) {
      const entry = this.entries.get(current);
      if (entry === undefined || entry.linkname === undefined) return entry;
      current =
        entry.type === 'symlink'
          ? normalizeMemberName(posix.join(posix.dirname(current), entry.linkname))
          : normalizeMemberName(entry.linkname);
    }
    return undefined;
  }

  /** A member's bytes as a stream of pieces. */
  stream(entry: IndexedTarEntry): AsyncIterable<Buffer> {
    if (entry.size === 0) return (async function* empty() {})();
    return createReadStream(this.path, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 1024 * 1024 });
  }
}

/** `./a//b` and `a/b` name the same member. */
export function normalizeMemberName(name: string): string {
  const cleaned = posix.normalize(name.replace(/^(\.\/)+/, ''));
  return cleaned === '.' ? '' : cleaned.replace(/\/$/, '');
}

async function readHeaders(handle: FileHandle): Promise<Map<string, IndexedTarEntry>> {
  const { size: fileSize } = await handle.stat();
  const entries = new Map<string, IndexedTarEntry>();
  const block = Buffer.alloc(TAR_BLOCK);
  let position = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> | undefined;
  while (position + TAR_BLOCK <= fileSize) {
    const { bytesRead } = await handle.read(block, 0, TAR_BLOCK, position);
    if (bytesRead < TAR_BLOCK) throw new Error('truncated tar header');
    let header: TarHeader | null;
    try {
      header = decodeTarHeader(block);
    } catch {
      throw new Error(position === 0 ? 'not a tar archive' : `corrupt tar header at byte ${position}`);
    }
    if (header === null) return entries;
    // Long names and pax records describe the member after them, not another long header.
    const member = isLongHeader(header.type) ? header : withLongNames(header, longName, longLink, pax);
    const size = member.size;
    if (!(size >= 0)) throw new Error(`corrupt tar header at byte ${position}`);
    const dataOffset = position + TAR_BLOCK;
    if (dataOffset + size > fileSize) throw new Error(`truncated tar: member at byte ${position} runs past the end of the file`);
    position = dataOffset + size + paddingAfter(size);
    if (isLongHeader(header.type)) {
      const data = Buffer.alloc(Math.min(size, MAX_LONG_HEADER));
      await handle.read(data, 0, data.length, dataOffset);
      if (header.type === 'gnu-long-path') longName = cString(data);
      else if (header.type === 'gnu-long-link-path') longLink = cString(data);
      else if (header.type === 'pax-header') pax = decodePax(data);
      continue;
    }
    const type = memberKind(member.type);
    entries.set(normalizeMemberName(member.name), {
      name: member.name,
      type,
      size: type === 'file' ? size : 0,
      offset: dataOffset,
      ...(type === 'symlink' || type === 'link' ? { linkname: member.linkname ?? '' } : {}),
    });
    longName = undefined;
    longLink = undefined;
    pax = undefined;
  }
  if (position < fileSize || entries.size === 0) throw new Error('truncated tar archive');
  return entries;
}
