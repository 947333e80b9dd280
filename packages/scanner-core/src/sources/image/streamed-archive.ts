import { CollectedFiles } from './image-files.js';
import { listWhiteouts, type LayerLimits } from './layer-scanner.js';
import { normalizeMemberName } from './tar-index.js';
import { readBody, tarEntries } from './tar-entries.js';
import type { LayerWhiteouts } from './whiteouts.js';

/** Members up to this size that look like JSON are kept in memory as possible manifests/configs. */
const MAX_KEPT_JSON = 4 * 1024 * 1024;

export interface ArchiveMetadata {
  readonly files: CollectedFiles;
  /** The whiteouts of every member that is a layer tar, by member name. */
  readonly whiteouts: ReadonlyMap<string, LayerWhiteouts>;
  /** Why the pass stopped early, if it did (truncated or corrupt archive). */
  readonly error?: string;
}

/**
 * First pass over an archive that can only be streamed: keeps the small JSON members (manifest.json,
 * index.json, configs, OCI manifests), records links, and lists each other member's whiteouts, since in
 * `docker save` output the layers come before manifest.json and in no particular order.
 */
export async function collectArchive(archive: AsyncIterable<Buffer>, limits: LayerLimits): Promise<ArchiveMetadata> {
  const files = new CollectedFiles();
  const whiteouts = new Map<string, LayerWhiteouts>();
  try {
    for await (const entry of tarEntries(archive)) {
      const name = normalizeMemberName(entry.name);
      if ((entry.type === 'symlink' || entry.type === 'link') && entry.linkname !== undefined) {
        files.addLink(name, entry.linkname, entry.type === 'symlink');
        continue;
      }
      if (entry.type !== 'file') continue;
      // Known to exist even if the archive ends inside it: pass 2 then scans what there is and warns.
      files.addFile(name, null);
      if (entry.size <= MAX_KEPT_JSON) {
        const data = await readBody(entry.body);
        if (looksLikeJson(data)) {
          files.addFile(name, data);
          continue;
        }
        const listed = await listWhiteouts(once(data), limits).catch(() => undefined);
        if (listed !== undefined) whiteouts.set(name, listed);
        continue;
      }
      const listed = await listWhiteouts(entry.body, limits).catch(() => undefined);
      if (listed !== undefined) whiteouts.set(name, listed);
    }
  } catch (error) {
    return { files, whiteouts, error: describeArchiveError(error) };
  }
  return { files, whiteouts };
}

export function describeArchiveError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected end of data|unexpected end of file/i.test(message)) return 'truncated archive (unexpected end of data)';
  return `corrupt archive (${message.split('\n')[0] ?? 'error'})`;
}

function looksLikeJson(data: Buffer): boolean {
  for (const byte of data.subarray(0, 64)) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b || byte === 0x5b;
  }
  return false;
}

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield await Promise.resolve(data);
}
