import { decompressed } from './decompress.js';
import { layerPath } from './whiteouts.js';
import { tarEntries } from './tar-entries.js';

/** Archives inside a layer that are opened: tarballs, plain or gzip/zstd-compressed. */
const ARCHIVE_NAME = /\.(tar|tgz|tar\.gz|tar\.zst|tzst)$/i;

export const DEFAULT_ARCHIVE_DEPTH = 2;

export function isNestedArchive(path: string): boolean {
  return ARCHIVE_NAME.test(path);
}

/** A regular file inside a nested archive: `outer.tar.gz!inner/path`, possibly several levels deep. */
export interface NestedFile {
  readonly path: string;
  readonly size: number;
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Streams the regular files of a tarball found inside a layer (vendored bundles, backups, saved
 * images), recursing into archives inside it while `depth` allows. Nothing is extracted to disk; the
 * decompression bomb guard applies at every level. A damaged inner archive throws: the caller warns.
 */
export async function* nestedFiles(body: AsyncIterable<Buffer>, path: string, depth: number, maxRatio: number): AsyncGenerator<NestedFile> {
  for await (const entry of tarEntries(decompressed(body, { maxRatio }))) {
    if (entry.type !== 'file') continue;
    const inner = `${path}!${layerPath(entry.name)}`;
    if (depth > 1 && isNestedArchive(entry.name)) yield* nestedFiles(entry.body, inner, depth - 1, maxRatio);
    else yield { path: inner, size: entry.size, body: entry.body };
  }
}
