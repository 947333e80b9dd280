import { createHash, type Hash } from 'node:crypto';
import type { Chunk } from '../../chunk.js';
import { InputError } from '../../errors.js';
import type { Origin } from '../../origin.js';
import type { ChunkLoans } from '../byte-ring.js';
import { sniffContent } from '../content-sniff.js';
import { bufferChunks, streamChunks } from '../read-item.js';
import type { SourceContext } from '../source.js';
import { DEFAULT_WINDOW } from '../windowing.js';
import { decompressed, DecompressionLimitError } from './decompress.js';
import { layerName, type ImageDescription, type LayerDescriptor } from './image-description.js';
import type { LayerRecording } from './layer-cache.js';
import { DEFAULT_ARCHIVE_DEPTH, isNestedArchive, nestedFiles, type NestedFile } from './nested-archives.js';
import { tarEntries } from './tar-entries.js';
import { layerPath, recordWhiteout, type LayerWhiteouts, type Removal, type WhiteoutIndex } from './whiteouts.js';

export interface LayerLimits {
  /** Files larger than this are not scanned (warning). */
  readonly maxFileSize?: number;
  /** Decompression bomb guard, see decompress.ts (0 disables). */
  readonly maxDecompressionRatio?: number;
  /** How deep to open tarballs inside layers (default 2; 0: not at all). */
  readonly maxArchiveDepth?: number;
}

/** One layer of one image, with what is known about the layers above it. */
export interface LayerJob {
  readonly image: ImageDescription;
  readonly layer: LayerDescriptor;
  /** Whiteouts of the layers above this one (all of them, or the scan order guarantees it). */
  readonly removals: WhiteoutIndex;
  /** The layer's instruction, already masked (see mask-instruction.ts). */
  readonly createdBy?: string;
  readonly limits: LayerLimits;
  /** Check the blob digest and diff id while reading (ImageSourceOptions.verifyDigests). */
  readonly verifyDigests: boolean;
  /** Collects the layer's findings for the layer cache. */
  readonly recording?: LayerRecording;
  /** With --dockerfile: where the instruction that made this layer is. */
  readonly dockerfile?: { readonly path: string; readonly line: number };
  /** Memory text files' bytes are lent from until the scan releases their chunks (see ByteRing). */
  readonly loans?: ChunkLoans;
}

export interface LayerOutcome {
  /** Read to the end, and the digests matched when checked: its result may be cached. */
  readonly complete: boolean;
  readonly whiteouts: LayerWhiteouts;
}

/** How warnings name a layer: `app:1 layer 3 (sha256:0123456789ab)`. */
export function layerLabel(image: ImageDescription, layer: LayerDescriptor): string {
  const name = layerName(layer);
  return `${image.ref} layer ${layer.index} (${name.length > 19 ? name.slice(0, 19) : name})`;
}

/** The origin of a file in a layer, the same whether it is scanned now or replayed from the cache. */
export function layerOrigin(job: Pick<LayerJob, 'image' | 'layer' | 'createdBy' | 'dockerfile'>, path: string, removal: Removal | undefined): Origin {
  const { image, layer } = job;
  const name = layerName(layer);
  const remover = removal === undefined ? undefined : image.layers[removal.layerIndex];
  return {
    kind: 'image-layer',
    path,
    image: image.ref,
    ...(image.digest === undefined ? {} : { imageDigest: image.digest }),
    layer: name,
    layerIndex: layer.index,
    ...(layer.diffId === undefined || layer.diffId === name ? {} : { diffId: layer.diffId }),
    ...(job.createdBy === undefined ? {} : { createdBy: job.createdBy }),
    ...(job.dockerfile === undefined ? {} : { dockerfile: job.dockerfile.path, dockerfileLine: job.dockerfile.line }),
    ...(removal === undefined
      ? {}
      : {
          flag: 'removed-in-later-layer' as const,
          removedInLayer: remover === undefined ? `layer ${removal.layerIndex}` : layerName(remover),
          removedInLayerIndex: removal.layerIndex,
        }),
  };
}

/**
 * Scans every regular file of one layer blob as it streams: decompress (gzip/zstd by magic number),
 * walk the tar (tar-entries.ts), hand each file to the engine with an `image-layer` origin. Whiteout
 * entries are collected (for the layers below) and not scanned. With `verifyDigests` the blob's digest and
 * the uncompressed tar's diff id are checked while streaming; a mismatch is an error naming the layer.
 * Without it a binary member is not looked at past its head (hashing the bench image's layers was
 * ~0.5 s of its 2.7 s of CPU). A corrupt or truncated layer, or a decompression bomb, is a warning: what
 * was read is reported, the scan goes on.
 */
export async function* scanLayer(blob: AsyncIterable<Buffer>, job: LayerJob, context: SourceContext): AsyncGenerator<Chunk, LayerOutcome> {
  const whiteouts = { deleted: [] as string[], opaque: [] as string[] };
  const label = layerLabel(job.image, job.layer);
  const blobHash = job.verifyDigests ? hasherFor(job.layer.digest) : undefined;
  // When the blob is the uncompressed tar itself (docker save), one hash checks both digests.
  const tarHash = job.verifyDigests && job.layer.diffId !== job.layer.digest ? hasherFor(job.layer.diffId) : undefined;
  const raw = hashing(blob, blobHash);
  const plain = hashing(decompressed(raw.stream, { maxRatio: job.limits.maxDecompressionRatio ?? 0 }), tarHash);
  try {
    for await (const entry of tarEntries(plain.stream)) {
      if (context.signal.aborted) return { complete: false, whiteouts };
      if (recordWhiteout(entry.name, whiteouts)) continue;
      if (entry.type !== 'file') {
        if (entry.type === 'symlink' || entry.type === 'link') context.skip(`${label}:${entry.name}`, 'link');
        continue;
      }
      const path = layerPath(entry.name);
      const removal = job.removals.removal(path, job.layer.index);
      const depth = job.limits.maxArchiveDepth ?? DEFAULT_ARCHIVE_DEPTH;
      if (depth > 0 && isNestedArchive(path)) {
        yield* scanNested(entry.body, path, depth, job, removal, label, context);
        continue;
      }
      yield* scanFile({ path, size: entry.size, body: entry.body }, job, removal, label, context);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    // A damaged blob usually shows as a gzip/tar error; reading the rest tells whether it is a digest
    // mismatch (an error) or a blob that is intact but unreadable (a warning).
    await raw.finish();
    verify(blobHash, job.layer.digest, label, 'blob digest');
    context.warn(label, describeLayerError(error));
    return { complete: false, whiteouts };
  }
  await raw.finish();
  await plain.finish();
  verify(blobHash, job.layer.digest, label, 'blob digest');
  verify(tarHash, job.layer.diffId, label, 'diff id (uncompressed digest)');
  return { complete: true, whiteouts };
}

/** One file of a layer (or of an archive inside it) to the engine, within --max-file-size. */
async function* scanFile(file: NestedFile, job: LayerJob, removal: Removal | undefined, label: string, context: SourceContext): AsyncGenerator<Chunk> {
  const max = job.limits.maxFileSize;
  if (max !== undefined && file.size > max) {
    context.warn(`${label}:${file.path}`, `larger than --max-file-size (${file.size} > ${max} bytes); not scanned`);
    return;
  }
  const origin = layerOrigin(job, file.path, removal);
  job.recording?.adopt(origin);
  if (file.size > DEFAULT_WINDOW.windowSize) {
    yield* streamChunks(file.body, origin, context);
    return;
  }
  // Most bytes of an image are binaries: decide on the head and never copy the rest of those.
  const iterator = file.body[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let have = 0;
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    parts.push(next.value);
    have += next.value.length;
    if (have >= SNIFF_BYTES || have >= file.size) break;
  }
  if (sniffContent(parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts)) === 'binary') {
    context.skip(origin.path, 'binary');
    return;
  }
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) parts.push(next.value);
  // The bytes go into lent memory when there is room (see ByteRing), else into a Buffer of their own.
  const length = parts.reduce((n, part) => n + part.length, 0);
  const lent = job.loans?.ring.take(length);
  const data = lent === undefined ? (parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts, length)) : joinedInto(lent, parts);
  const chunks = bufferChunks(data, origin, context);
  yield* job.loans === undefined ? chunks : job.loans.lend(data, chunks);
}

const SNIFF_BYTES = 8000;

function joinedInto(target: Buffer, parts: readonly Buffer[]): Buffer {
  let at = 0;
  for (const part of parts) at += part.copy(target, at);
  return target;
}

/** The files of a tarball inside a layer; a damaged one is a warning and the layer goes on. */
async function* scanNested(
  body: AsyncIterable<Buffer>,
  path: string,
  depth: number,
  job: LayerJob,
  removal: Removal | undefined,
  label: string,
  context: SourceContext,
): AsyncGenerator<Chunk> {
  try {
    for await (const file of nestedFiles(body, path, depth, job.limits.maxDecompressionRatio ?? 0)) yield* scanFile(file, job, removal, label, context);
  } catch (error) {
    if (error instanceof InputError) throw error;
    context.warn(`${label}:${path}`, `nested archive not fully read (${describeLayerError(error).replace(/; rest of the layer not scanned.*$/, '')})`);
  }
}

/**
 * Lists a layer's whiteouts without scanning it, for inputs that can only be streamed in one order
 * (the daemon's export): a first pass learns what later layers delete.
 */
export async function listWhiteouts(blob: AsyncIterable<Buffer>, limits: LayerLimits): Promise<LayerWhiteouts> {
  const whiteouts = { deleted: [] as string[], opaque: [] as string[] };
  for await (const entry of tarEntries(decompressed(blob, { maxRatio: limits.maxDecompressionRatio ?? 0 }))) {
    recordWhiteout(entry.name, whiteouts);
  }
  return whiteouts;
}

function describeLayerError(error: unknown): string {
  if (error instanceof DecompressionLimitError) return `${error.message}; rest of the layer not scanned (--max-decompression-ratio)`;
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected end of data|unexpected end of file|EOF/i.test(message)) return 'truncated layer (unexpected end of data); rest of the layer not scanned';
  return `unreadable layer (${message.split('\n')[0] ?? 'error'}); rest of the layer not scanned`;
}

interface DigestCheck {
  readonly hash: Hash;
  done: boolean;
}

function hasherFor(digest: string | undefined): DigestCheck | undefined {
  if (digest === undefined) return undefined;
  const algorithm = digest.split(':')[0];
  return algorithm === 'sha256' || algorithm === 'sha512' ? { hash: createHash(algorithm), done: false } : undefined;
}

/**
 * Hashes a stream as it is read. Stopping early does not close the input, so `finish()` can hash the
 * rest (a decoder that gave up on damaged data must not hide a digest mismatch).
 */
function hashing(input: AsyncIterable<Buffer>, check: DigestCheck | undefined): { stream: AsyncIterable<Buffer>; finish(): Promise<void> } {
  const iterator = input[Symbol.asyncIterator]();
  const pull = async (): Promise<IteratorResult<Buffer>> => {
    if (check?.done === true) return { done: true, value: undefined };
    const next = await iterator.next();
    if (next.done === true) {
      if (check) check.done = true;
    } else {
      check?.hash.update(next.value);
    }
    return next;
  };
  let ended = false;
  return {
    stream: {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          const next = ended ? ({ done: true, value: undefined } as const) : await pull();
          if (next.done === true) ended = true;
          return next;
        },
        return: () => Promise.resolve({ done: true, value: undefined }),
      }),
    },
    async finish() {
      if (check === undefined) {
        await iterator.return?.();
        return;
      }
      while (!ended) if ((await pull()).done === true) ended = true;
    },
  };
}

function verify(check: DigestCheck | undefined, expected: string | undefined, label: string, what: string): void {
  if (check === undefined || expected === undefined || !check.done) return;
  const actual = `${expected.split(':')[0] ?? 'sha256'}:${check.hash.digest('hex')}`;
  if (actual !== expected) throw new InputError(`${label}: ${what} mismatch: manifest says ${expected}, content is ${actual}`);
}
