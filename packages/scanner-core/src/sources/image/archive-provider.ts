import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { decompressed, sniffCompression } from './decompress.js';
import { DirectoryFiles, TarFiles } from './image-files.js';
import type { ImageAccess, ImageProvider } from './image-provider.js';
import type { Platform } from './platform.js';
import { readImages } from './read-images.js';
import { TarIndex } from './tar-index.js';

export interface ArchiveProviderOptions {
  readonly platform?: Platform;
  /** Decompression bomb guard for a compressed archive (0 disables). */
  readonly maxDecompressionRatio?: number;
}

/**
 * Images on disk: a `docker save`/`podman save` tarball (plain, gzip or zstd), an OCI archive, or an
 * OCI image layout directory. A plain tar is indexed and its layers read in place; a compressed one
 * is streamed (twice) rather than unpacked anywhere.
 */
export class ArchiveProvider implements ImageProvider {
  readonly input: string;
  readonly #path: string;
  readonly #options: ArchiveProviderOptions;

  constructor(path: string, input: string = path, options: ArchiveProviderOptions = {}) {
    this.#path = path;
    this.input = input;
    this.#options = options;
  }

  async open(): Promise<ImageAccess> {
    let info;
    try {
      info = await stat(this.#path);
    } catch (error) {
      throw new InputError(`${this.input}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
    if (info.isDirectory()) return this.#directory();
    if (!info.isFile()) {
      // A pipe (`<(docker save …)`, `docker save … | leakguard image /dev/stdin`) can be read only once, and an
      // archive is read twice: its manifest and config (often at its end) before its layers.
      throw new InputError(
        `${this.input}: a pipe or device can be read only once, but an image archive needs two passes; save it to a file first (docker save -o image.tar IMAGE) or name the image to read it from the daemon`,
      );
    }
    const head = await readHead(this.#path);
    if (sniffCompression(head) !== 'none') return this.#streamed();
    let index: TarIndex;
    try {
      index = await TarIndex.open(this.#path);
    } catch (error) {
      // A tar that cannot be indexed (truncated, damaged) is still streamed: what is readable is scanned.
      if (head.toString('latin1', 257, 262) === 'ustar') return this.#streamed();
      throw new InputError(`${this.input}: not an image archive (${error instanceof Error ? error.message : 'unreadable'})`, { cause: error });
    }
    const files = new TarFiles(index);
    const images = await readImages(files, this.input, this.#options.platform);
    return {
      kind: 'random',
      images,
      openLayer: (_image, layer) => {
        const stream = files.stream(layer.location);
        if (stream === undefined) throw new InputError(`${this.input}: layer ${layer.location} is missing`);
        return Promise.resolve(stream);
      },
      close: () => Promise.resolve(),
    };
  }

  async #directory(): Promise<ImageAccess> {
    try {
      await stat(join(this.#path, 'oci-layout'));
    } catch {
      throw new InputError(`${this.input}: a directory without an oci-layout file is not an OCI image layout`);
    }
    const files = new DirectoryFiles(this.#path);
    const images = await readImages(files, this.input, this.#options.platform);
    return {
      kind: 'random',
      images,
      openLayer: async (_image, layer) => {
        const stream = await files.stream(layer.location);
        if (stream === undefined) throw new InputError(`${this.input}: layer blob ${layer.location} is missing`);
        return stream;
      },
      close: () => Promise.resolve(),
    };
  }

  #streamed(): ImageAccess {
    const maxRatio = this.#options.maxDecompressionRatio ?? 0;
    return {
      kind: 'stream',
      ...(this.#options.platform === undefined ? {} : { platform: this.#options.platform }),
      open: () => Promise.resolve(decompressed(createReadStream(this.#path, { highWaterMark: 1024 * 1024 }), { maxRatio })),
    };
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
