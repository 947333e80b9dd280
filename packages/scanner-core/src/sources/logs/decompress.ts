import { Readable } from 'node:stream';
import { constants, createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd';

/** Caps that stop a decompression bomb from turning a small archive into hours of scanning. */
export interface DecodeLimits {
  /** Stop (with a warning) after this many decoded bytes of one item. */
  readonly maxDecodedBytes: number;
  /** Stop (with a warning) once decoded/compressed exceeds this, after the first 64 MiB. */
  readonly maxRatio: number;
  /** Refuse zstd frames whose window (which fzstd keeps in memory) is larger than this. */
  readonly maxZstdWindow: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxDecodedBytes: 64 * 1024 ** 3,
  maxRatio: 2000, // gzip cannot exceed ~1032:1; this only bites on crafted zstd
  maxZstdWindow: 64 * 1024 * 1024,
};

const RATIO_GRACE = 64 * 1024 * 1024;

/** Compression by magic bytes, not by name: `app.log.1` may be gzip and `x.gz` may be plain. */
export function detectCompression(head: Uint8Array): Compression | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return undefined;
}

/** Reports problems with one item; decoding goes on with what could be read. */
export type Warn = (message: string) => void;

/**
 * Decoded bytes of a possibly compressed stream. Damage (a truncated or corrupt archive) and limits end the
 * item with a warning after everything decodable before that point has been yielded. `reopen`, when given,
 * re-reads the compressed input so that the output zlib held back at the moment of an error is recovered.
 */
export async function* decodeStream(
  input: AsyncIterable<Buffer>,
  compression: Compression | undefined,
  warn: Warn,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  reopen?: () => AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  const counter = { compressed: 0 };
  const counted = countBytes(input, counter);
  const decoded = compression === 'gzip' ? gunzip(counted, warn, reopen) : compression === 'zstd' ? unzstd(counted, warn, limits) : counted;
  let total = 0;
  for await (const piece of decoded) {
    total += piece.length;
    if (compression !== undefined && total > limits.maxDecodedBytes) {
      warn(`decoded size exceeds ${limits.maxDecodedBytes} bytes; the rest of the archive is not scanned`);
      return;
    }
    if (compression !== undefined && total > RATIO_GRACE && total / Math.max(1, counter.compressed) > limits.maxRatio) {
      warn(`decompression ratio exceeds ${limits.maxRatio}:1 (possible decompression bomb); the rest of the archive is not scanned`);
      return;
    }
    yield piece;
  }
}

async function* countBytes(input: AsyncIterable<Buffer>, counter: { compressed: number }): AsyncGenerator<Buffer> {
  for await (const piece of input) {
    counter.compressed += piece.length;
    yield piece;
  }
}

/** gzip, including concatenated members (zlib's Gunzip continues into the next member by itself). */
async function* gunzip(input: AsyncIterable<Buffer>, warn: Warn, reopen?: () => AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let delivered = 0;
  try {
    for await (const piece of inflate(input, constants.Z_FINISH)) {
      delivered += piece.length;
      yield piece;
    }
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const damage = code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt';
    if (reopen === undefined) {
      warn(`gzip data is ${damage} (${zlibMessage(error)}); the ${delivered} bytes decoded before it were scanned`);
      return;
    }
    // zlib drops the output of the call that failed; a lenient second pass recovers it.
    let seen = 0;
    try {
      for await (const piece of inflate(reopen(), constants.Z_SYNC_FLUSH)) {
        const next = seen + piece.length;
        if (next > delivered) yield piece.subarray(Math.max(0, delivered - seen));
        seen = next;
      }
    } catch {
      // the lenient pass stops at the same damage; what it yielded before is kept
    }
    warn(`gzip data is ${damage} (${zlibMessage(error)}); the ${Math.max(seen, delivered)} bytes decoded before it were scanned`);
  }
}

async function* inflate(input: AsyncIterable<Buffer>, finishFlush: number): AsyncGenerator<Buffer> {
  const source = Readable.from(input, { objectMode: false });
  const zlib = createGunzip({ chunkSize: 256 * 1024, finishFlush });
  source.on('error', (error) => zlib.destroy(error));
  source.pipe(zlib);
  try {
    for await (const piece of zlib) yield piece as Buffer;
  } finally {
    source.unpipe(zlib);
    source.destroy();
  }
}

function zlibMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'error';
}

/** zstd through fzstd's streaming decoder; frames are checked against the window limit before decoding. */
async function* unzstd(input: AsyncIterable<Buffer>, warn: Warn, limits: DecodeLimits): AsyncGenerator<Buffer> {
  let out: Buffer[] = [];
  const decoder = new Decompress((data) => {
    if (data.length > 0) out.push(Buffer.from(data.buffer, data.byteOffset, data.length));
  });
  let decoded = 0;
  let first = true;
  try {
    for await (const piece of input) {
      if (first) {
        first = false;
        const window = zstdWindowSize(piece);
        if (window !== undefined && window > limits.maxZstdWindow) {
          warn(`zstd window of ${window} bytes exceeds the ${limits.maxZstdWindow}-byte limit; not scanned`);
          return;
        }
      }
      decoder.push(piece);
      const ready = out;
      out = [];
      for (const block of ready) {
        decoded += block.length;
        yield block;
      }
    }
    decoder.push(new Uint8Array(0), true);
  } catch (error) {
    for (const block of out) yield block;
    warn(`zstd data is truncated or corrupt (${zlibMessage(error)}); the ${decoded} bytes decoded before it were scanned`);
    return;
  }
  for (const block of out) yield block;
}

/** The window size a zstd frame header declares (RFC 8878 §3.1.1.1.2), or undefined if not readable. */
export function zstdWindowSize(head: Uint8Array): number | undefined {
  if (head.length < 6 || detectCompression(head) !== 'zstd') return undefined;
  const descriptor = head[4] ?? 0;
  if (((descriptor >> 5) & 1) === 1) {
    // Single segment: the window is the frame content size, stored after the dictionary id.
    const dictBytes = [0, 1, 2, 4][descriptor & 3] ?? 0;
    const sizeBytes = [1, 2, 4, 8][descriptor >> 6] ?? 1;
    let size = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + (head[5 + dictBytes + i] ?? 0);
    return sizeBytes === 2 ? size + 256 : size;
  }
  const window = head[5] ?? 0;
  const base = 2 ** (10 + (window >> 3));
  return base + (base / 8) * (window & 7);
}
