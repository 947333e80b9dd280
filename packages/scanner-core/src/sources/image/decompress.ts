import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd' | 'none';

export interface DecompressionLimits {
  /**
   * Stop when the output exceeds this multiple of the input read so far (a decompression bomb).
   * 0 or undefined: no limit.
   */
  readonly maxRatio?: number;
  /** The ratio is only checked past this many output bytes, so small, very compressible files pass. */
  readonly ratioGrace?: number;
}

export const DEFAULT_MAX_DECOMPRESSION_RATIO = 200;
const DEFAULT_RATIO_GRACE = 64 * 1024 * 1024;

/** The output of a compressed stream grew past the ratio limit. The message names no content. */
export class DecompressionLimitError extends Error {
  constructor(readonly inputBytes: number, readonly outputBytes: number, readonly maxRatio: number) {
    super(`decompressed size exceeds ${maxRatio}x the compressed size (${outputBytes} bytes from ${inputBytes}); looks like a decompression bomb`);
  }
}

/** Compression by magic number: gzip 1f 8b, zstd 28 b5 2f fd. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/**
 * The plain bytes of a possibly gzip- or zstd-compressed stream, decided by sniffing (media types lie
 * often enough). Output is bounded by the ratio limit: a layer that inflates 1 MB into 100 GB is cut off
 * with DecompressionLimitError instead of spinning for minutes.
 */
export async function* decompressed(input: AsyncIterable<Buffer>, limits: DecompressionLimits = {}): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return;
  const head: Buffer = first.value;
  let inputBytes = 0;
  async function* all(): AsyncGenerator<Buffer> {
    inputBytes += head.length;
    yield head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      inputBytes += next.value.length;
      yield next.value;
    }
  }
  const kind = sniffCompression(head);
  if (kind === 'none') {
    yield* all();
    return;
  }
  const maxRatio = limits.maxRatio ?? 0;
  const grace = limits.ratioGrace ?? DEFAULT_RATIO_GRACE;
  let outputBytes = 0;
  const pieces = kind === 'gzip' ? gunzip(all()) : unzstd(all());
  for await (const piece of pieces) {
    outputBytes += piece.length;
    if (maxRatio > 0 && outputBytes > grace && outputBytes > maxRatio * Math.max(inputBytes, 1)) {
      throw new DecompressionLimitError(inputBytes, outputBytes, maxRatio);
    }
    yield piece;
  }
}

async function* gunzip(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const source = Readable.from(input, { objectMode: false });
  const inflate = createGunzip({ chunkSize: 256 * 1024 });
  source.on('error', (error) => inflate.destroy(error));
  source.pipe(inflate);
  try {
    for await (const piece of inflate) yield piece as Buffer;
  } finally {
    source.destroy();
    inflate.destroy();
  }
}

async function* unzstd(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let out: Buffer[] = [];
  const decoder = new ZstdDecompress((data) => {
    out.push(Buffer.from(data));
  });
  for await (const piece of input) {
    decoder.push(piece);
    if (out.length > 0) {
      const ready = out;
      out = [];
      yield* ready;
    }
  }
  decoder.push(new Uint8Array(0), true);
  yield* out;
}
