import type { Chunk } from '../../chunk.js';
import { InputError } from '../../errors.js';
import type { Finding } from '../../finding.js';
import { ChunkLoans } from '../byte-ring.js';
import type { Source, SourceContext } from '../source.js';
import { configChunks } from './image-config.js';
import { mapDockerfile, parseDockerfile, type DockerfileMap } from './dockerfile-map.js';
import { layerKey, type ImageDescription, type LayerDescriptor } from './image-description.js';
import type { ImageProvider, RandomAccessImages, StreamedArchive } from './image-provider.js';
import { LayerCache, type LayerFinding, type LayerResult } from './layer-cache.js';
import { layerLabel, layerOrigin, listWhiteouts, scanLayer, type LayerJob, type LayerLimits, type LayerOutcome } from './layer-scanner.js';
import { maskInstruction } from './mask-instruction.js';
import { readImages } from './read-images.js';
import { collectArchive } from './streamed-archive.js';
import { normalizeMemberName } from './tar-index.js';
import { tarEntries } from './tar-entries.js';
import { WhiteoutIndex, type LayerWhiteouts } from './whiteouts.js';

export interface ImageSourceOptions extends LayerLimits {
  /** Shared by every image source of a run so a layer is scanned once (and, with a directory, across runs). */
  readonly cache?: LayerCache;
  /** `--dockerfile`: the Dockerfile that built the image(s) (path as reported, and its text). */
  readonly dockerfile?: { readonly path: string; readonly text: string };
  /**
   * Check every layer against its blob digest and diff id while reading it. Always done for registry layers
   * and with a persistent cache; a local archive's layers are otherwise read as they are (see docs/image.md).
   */
  readonly verifyDigests?: boolean;
}

type ImageDockerfile = { readonly path: string; readonly map: DockerfileMap } | undefined;

/**
 * Scans container images: each image's config, then its layers. Layers that can be read in any order
 * are read top layer first, so the whiteouts of the layers above are known before a file is reported;
 * a stream-only archive gets a first pass for that. A layer already scanned (same diff id, this run or
 * a cached earlier one) is replayed instead of read.
 */
export class ImageSource implements Source {
  readonly id: string;
  readonly #provider: ImageProvider;
  readonly #options: ImageSourceOptions;
  readonly #cache: LayerCache;
  /** Text files' bytes, lent to their chunks until `release` (see ByteRing). */
  readonly #loans = new ChunkLoans(RING_BYTES);

  constructor(provider: ImageProvider, options: ImageSourceOptions = {}) {
    this.#provider = provider;
    this.#options = options;
    this.#cache = options.cache ?? new LayerCache();
    this.id = `image:${provider.input}`;
  }

  async *chunks(context: SourceContext): AsyncGenerator<Chunk> {
    const access = await this.#provider.open(context);
    if (access.kind === 'stream') {
      yield* this.#streamed(access, context);
      return;
    }
    try {
      // Progress by layers: their sizes are not known before they are read.
      const layers = { done: 0, total: access.images.reduce((n, image) => n + image.layers.length, 0) };
      for (const image of access.images) {
        if (context.signal.aborted) return;
        const dockerfile = this.#dockerfileFor(image, context);
        if (context.inShard(configShardKey(image))) yield* configChunks(image, context, dockerfile);
        yield* this.#topDown(image, access, context, dockerfile, () => context.through?.(++layers.done, layers.total));
      }
    } finally {
      await access.close();
    }
  }

  /** Top layer first: every whiteout above a layer is known when its files are reported. */
  async *#topDown(image: ImageDescription, access: RandomAccessImages, context: SourceContext, dockerfile: ImageDockerfile, layerDone: () => void): AsyncGenerator<Chunk> {
    const removals = new WhiteoutIndex();
    for (let i = image.layers.length - 1; i >= 0 && !context.signal.aborted; i--, layerDone()) {
      const layer = image.layers[i];
      if (layer === undefined) continue;
      const job = this.#job(image, layer, removals, dockerfile, access.remote === true);
      const mine = context.inShard(layerKey(layer));
      const cached = await this.#cache.lookup(layerKey(layer));
      if (cached !== undefined) {
        if (mine) yield* this.#replay(job, cached, context);
        removals.add(i, cached.whiteouts);
        continue;
      }
      if (mine) {
        const outcome = yield* this.#scan(await access.openLayer(image, layer), job, context);
        removals.add(i, outcome.whiteouts);
      } else if (image.layers.slice(0, i).some((below) => context.inShard(layerKey(below)))) {
        // Another shard scans this layer, but a lower layer of this shard needs to know what it deletes.
        removals.add(i, await this.#whiteoutsOnly(await access.openLayer(image, layer), job, context));
      }
    }
  }

  async #whiteoutsOnly(blob: AsyncIterable<Buffer>, job: LayerJob, context: SourceContext): Promise<LayerWhiteouts> {
    try {
      return await listWhiteouts(blob, this.#options);
    } catch (error) {
      context.warn(layerLabel(job.image, job.layer), `cannot list its whiteouts (${error instanceof Error ? error.message : 'error'})`);
      return { deleted: [], opaque: [] };
    }
  }

  /** Two passes over a stream-only archive: metadata and whiteouts first, then the layers as they come. */
  async *#streamed(access: StreamedArchive, context: SourceContext): AsyncGenerator<Chunk> {
    const input = this.#provider.input;
    const meta = await collectArchive(await access.open(), this.#options);
    if (meta.error !== undefined) context.warn(input, meta.error);
    let images: ImageDescription[];
    try {
      images = await readImages(meta.files, input, access.platform);
    } catch (error) {
      if (error instanceof InputError && meta.error !== undefined) throw new InputError(`${input}: ${meta.error}; no readable image manifest`);
      throw error;
    }
    const jobs = new Map<string, LayerJob[]>();
    for (const image of images) {
      const dockerfile = this.#dockerfileFor(image, context);
      if (context.inShard(configShardKey(image))) yield* configChunks(image, context, dockerfile);
      const removals = new WhiteoutIndex();
      for (const layer of image.layers) removals.add(layer.index, meta.whiteouts.get(layer.location) ?? { deleted: [], opaque: [] });
      for (const layer of image.layers) {
        const list = jobs.get(layer.location) ?? [];
        list.push(this.#job(image, layer, removals, dockerfile, false));
        jobs.set(layer.location, list);
      }
    }
    const done = new Set<LayerJob>();
    try {
      for await (const entry of tarEntries(await access.open())) {
        if (context.signal.aborted) return;
        const first = entry.type === 'file' ? jobs.get(normalizeMemberName(entry.name))?.[0] : undefined;
        if (first === undefined || !context.inShard(layerKey(first.layer))) continue;
        done.add(first);
        context.through?.(done.size - 1, jobs.size);
        const cached = await this.#cache.lookup(layerKey(first.layer));
        if (cached !== undefined) {
          yield* this.#replay(first, cached, context);
          continue;
        }
        yield* this.#scan(entry.body, first, context);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      context.warn(input, meta.error ?? 'archive became unreadable during the second pass');
    }
    // Layers shared by several images in the archive were read once; the other images replay them.
    for (const job of [...jobs.values()].flat()) {
      if (done.has(job) || context.signal.aborted || !context.inShard(layerKey(job.layer))) continue;
      const cached = await this.#cache.lookup(layerKey(job.layer));
      if (cached !== undefined) yield* this.#replay(job, cached, context);
      else if (meta.error === undefined) context.warn(layerLabel(job.image, job.layer), 'shares its blob with another image in the archive and was reported there only');
    }
  }

  /** The layer cache's hook: records findings of layers being read, answers replayed layers. */
  matched(chunk: Chunk, findings: readonly Finding[]): readonly Finding[] {
    return this.#cache.matched(chunk, findings);
  }

  release(chunk: Chunk): void {
    this.#loans.release(chunk);
  }

  /** Reads one layer; when it was read whole and verified, a marker chunk lets the cache keep its result. */
  async *#scan(blob: AsyncIterable<Buffer>, job: LayerJob, context: SourceContext): AsyncGenerator<Chunk, LayerOutcome> {
    const recording = this.#cache.record(layerKey(job.layer));
    const outcome = yield* scanLayer(blob, { ...job, recording }, context);
    if (outcome.complete) yield this.#cache.endChunk(recording, outcome.whiteouts, layerOrigin(job, '', undefined));
    return outcome;
  }

  #job(image: ImageDescription, layer: LayerDescriptor, removals: WhiteoutIndex, dockerfile: ImageDockerfile, remote: boolean): LayerJob {
    const createdBy = layer.createdBy === undefined ? undefined : maskInstruction(layer.createdBy);
    const line = layer.historyIndex === undefined ? undefined : dockerfile?.map.history.get(layer.historyIndex);
    return {
      image,
      layer,
      removals,
      limits: this.#options,
      verifyDigests: remote || this.#cache.persistent || this.#options.verifyDigests === true,
      loans: this.#loans,
      ...(createdBy === undefined ? {} : { createdBy }),
      ...(line === undefined || dockerfile === undefined ? {} : { dockerfile: { path: dockerfile.path, line } }),
    };
  }

  /** The --dockerfile lines for an image's history, or a warning when that Dockerfile did not build it. */
  #dockerfileFor(image: ImageDescription, context: SourceContext): ImageDockerfile {
    const given = this.#options.dockerfile;
    if (given === undefined) return undefined;
    const map = mapDockerfile(parseDockerfile(given.text), image.config.history);
    if (map === undefined) context.warn(`--dockerfile ${given.path}`, `its final stage does not match the history of ${image.ref}; findings are not mapped to lines`);
    return map === undefined ? undefined : { path: given.path, map };
  }

  /** Findings of a layer scanned before, re-homed to this image (its ref, layer index, whiteouts). */
  async *#replay(job: LayerJob, cached: LayerResult, context: SourceContext): AsyncGenerator<Chunk> {
    context.skip(layerLabel(job.image, job.layer), 'layer already scanned (same digest)');
    const byPath = new Map<string, LayerFinding[]>();
    for (const f of cached.findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
    for (const [path, findings] of byPath) {
      yield this.#cache.replayChunk(layerOrigin(job, path, job.removals.removal(path, job.layer.index)), findings);
    }
    await Promise.resolve();
  }
}

/** Room for the chunks in flight (scan() keeps up to 16 MB) and the file being read; a file that finds none gets its own buffer. */
const RING_BYTES = 32 * 1024 * 1024;

/** The shard key of an image's config: its digest (stable across names), else its reference. */
function configShardKey(image: ImageDescription): string {
  return `config:${image.digest ?? image.ref}`;
}
