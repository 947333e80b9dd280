import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { normalizeMemberName, type TarIndex } from './tar-index.js';

/** Manifests and configs larger than this are refused: real ones are a few KB. */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/**
 * The named files of an image archive or layout (manifest.json, index.json, blobs/...), whatever holds
 * them: a tar on disk, a directory, or metadata collected from a stream. Names are archive-relative;
 * links are followed inside the archive only.
 */
export interface ImageFiles {
  /** The canonical name a member is found under after following links, or undefined when absent. */
  resolve(name: string): Promise<string | undefined>;
  /** A small member whole (undefined when absent or larger than MAX_METADATA_BYTES). */
  read(name: string): Promise<Buffer | undefined>;
}

/** Members of an uncompressed tar file, read at their offsets. */
export class TarFiles implements ImageFiles {
  constructor(readonly index: TarIndex) {}

  resolve(name: string): Promise<string | undefined> {
    const entry = this.index.resolve(name);
    return Promise.resolve(entry?.type === 'file' ? normalizeMemberName(entry.name) : undefined);
  }

  async read(name: string): Promise<Buffer | undefined> {
    const entry = this.index.resolve(name);
    if (entry?.type !== 'file' || entry.size > MAX_METADATA_BYTES) return undefined;
    const parts: Buffer[] = [];
    for await (const part of this.index.stream(entry)) parts.push(part);
    return Buffer.concat(parts);
  }

  stream(name: string): AsyncIterable<Buffer> | undefined {
    const entry = this.index.resolve(name);
    return entry?.type === 'file' ? this.index.stream(entry) : undefined;
  }
}

/**
 * Files of an OCI image layout directory. Names that would leave the directory (`..`, absolute) are
 * treated as absent, and symlinks are followed only while they stay inside it.
 */
export class DirectoryFiles implements ImageFiles {
  constructor(readonly root: string) {}

  async resolve(name: string): Promise<string | undefined> {
    let current = insideName(name);
    for (let hops = 0; current !== undefined && hops < 16; hops++) {
      let info;
      try {
        info = await lstat(join(this.root, current));
      } catch {
        return undefined;
      }
      if (info.isFile()) return current;
      if (!info.isSymbolicLink()) return undefined;
      current = insideName(posix.join(posix.dirname(current), await readlink(join(this.root, current))));
    }
    return undefined;
  }

  async read(name: string): Promise<Buffer | undefined> {
    const resolved = await this.resolve(name);
    if (resolved === undefined) return undefined;
    const full = join(this.root, resolved);
    if ((await lstat(full)).size > MAX_METADATA_BYTES) return undefined;
    return readFile(full);
  }

  async stream(name: string): Promise<AsyncIterable<Buffer> | undefined> {
    const resolved = await this.resolve(name);
    return resolved === undefined ? undefined : createReadStream(join(this.root, resolved), { highWaterMark: 1024 * 1024 });
  }
}

/** Small members kept from one streaming pass over an archive, plus its links. */
export class CollectedFiles implements ImageFiles {
  readonly #files = new Map<string, Buffer | null>();
  readonly #links = new Map<string, { readonly target: string; readonly symbolic: boolean }>();

  /** Records a member; `data` null means "present, too large to keep" (a layer). */
  addFile(name: string, data: Buffer | null): void {
    this.#files.set(normalizeMemberName(name), data);
  }

  addLink(name: string, target: string, symbolic: boolean): void {
    this.#links.set(normalizeMemberName(name), { target, symbolic });
  }

  resolve(name: string): Promise<string | undefined> {
    return Promise.resolve(this.resolveSync(name));
  }

  resolveSync(name: string): string | undefined {
    let current = normalizeMemberName(name);
    for (let hops = 0; hops < 16; hops++) {
      if (this.#files.has(current)) return current;
      const link = this.#links.get(current);
      if (link === undefined) return undefined;
      current = normalizeMemberName(link.symbolic ? posix.join(posix.dirname(current), link.target) : link.target);
    }
    return undefined;
  }

  read(name: string): Promise<Buffer | undefined> {
    const resolved = this.resolveSync(name);
    return Promise.resolve(resolved === undefined ? undefined : (this.#files.get(resolved) ?? undefined));
  }
}

function insideName(name: string): string | undefined {
  const normalized = posix.normalize(name);
  if (normalized.startsWith('/') || normalized === '..' || normalized.startsWith('../')) return undefined;
  return normalized;
}
