import type { Worker } from 'node:worker_threads';
import type { Chunk } from '../chunk.js';
import type { Finding } from '../finding.js';
import { Secret } from '../secret.js';
import { withContextKeywords, type Engine, type MatchedFindings } from './engine.js';
import { matchingWorker } from './matching-workers.js';
import type { MatchRequest, MatchResponse, WorkerReady, WorkerSpec } from './worker-protocol.js';

/** Something that turns a chunk into findings, in this thread or another. */
export interface ChunkMatcher {
  match(chunk: Chunk): MatchedFindings | Promise<MatchedFindings>;
  close(): Promise<void>;
}

/** The engine in this thread: no start-up cost, the right choice for small scans and `--jobs 1`. */
export class InlineMatcher implements ChunkMatcher {
  readonly #engine: Engine;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  match(chunk: Chunk): MatchedFindings {
    return this.#engine.scan(chunk);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Pending {
  readonly chunk: Chunk;
  readonly resolve: (findings: MatchedFindings) => void;
  readonly reject: (error: Error) => void;
}

/** A batch is sent when it holds this many bytes or chunks, or when the event loop next turns. */
const BATCH_BYTES = 1024 * 1024;
const BATCH_CHUNKS = 64;

/**
 * Matches chunks on worker threads. Small scans never pay for it: chunks are matched inline until
 * `warmupBytes` have gone by, then `size` workers start (each compiles the rules itself), and this thread
 * goes on matching until the first of them is ready (0.1–0.3 s here) instead of waiting. Chunks travel in
 * batches (one message per ~1 MiB, not per small blob), each copied out of its backing buffer and
 * transferred. Callers keep output order by awaiting results in submission order, so findings are
 * identical for any pool size.
 */
export class WorkerPoolMatcher implements ChunkMatcher {
  readonly #inline: ChunkMatcher;
  readonly #spec: WorkerSpec;
  readonly #size: number;
  readonly #warmupBytes: number;
  #seen = 0;
  #started = 0;
  /** Whether a worker has built its scanner; until one has, this thread matches (it would only wait). */
  #ready = false;
  #markReady: () => void = () => undefined;
  readonly #firstReady = new Promise<void>((resolve) => {
    this.#markReady = resolve;
  });
  #workers: Worker[] = [];
  #load: number[] = [];
  #nextId = 1;
  readonly #sent = new Map<number, { readonly batch: readonly Pending[]; readonly worker: number }>();
  #batch: Pending[] = [];
  #batchBytes = 0;
  #flushScheduled = false;

  /** `inline` matches in this thread until the warm-up is over; it must match as the workers do (see spec.logs). */
  constructor(inline: ChunkMatcher, spec: WorkerSpec, size: number, warmupBytes = 16 * 1024 * 1024) {
    this.#inline = inline;
    this.#spec = spec;
    this.#size = size;
    this.#warmupBytes = warmupBytes;
  }

  match(chunk: Chunk): MatchedFindings | Promise<MatchedFindings> {
    this.#seen += chunk.data.length;
    if (this.#workers.length === 0 && this.#seen < this.#warmupBytes) return this.#inline.match(chunk);
    if (this.#workers.length === 0) this.start();
    if (!this.#ready) return this.#inline.match(chunk);
    return new Promise<MatchedFindings>((resolve, reject) => {
      this.#batch.push({ chunk, resolve, reject });
      this.#batchBytes += chunk.data.length;
      if (this.#batchBytes >= BATCH_BYTES || this.#batch.length >= BATCH_CHUNKS) this.#flush();
      else if (!this.#flushScheduled && this.#load.some((load) => load === 0)) {
        // The caller awaits its oldest result once enough are in flight; that await lets this run. While
        // every worker is busy the batch grows instead (fewer, larger messages): the next answer sends it.
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#batchBytes = 0;
    let worker = 0;
    for (let i = 1; i < this.#workers.length; i++) if ((this.#load[i] ?? 0) < (this.#load[worker] ?? 0)) worker = i;
    this.#load[worker] = (this.#load[worker] ?? 0) + batch.length;
    const id = this.#nextId++;
    this.#sent.set(id, { batch, worker });
    // Copy just the chunks' bytes, one after another into one buffer, and transfer it: cloning a view would
    // copy its whole backing buffer (a window, a pooled slab, git's stream buffer), and one transfer per chunk
    // cost more than the copy. What a source says about content shared with earlier chunks (key, base) is the
    // main thread's business.
    let total = 0;
    for (const { chunk } of batch) total += chunk.data.length;
    const bytes = new Uint8Array(total);
    let at = 0;
    const chunks = batch.map(({ chunk: { key: _key, base: _base, data, ...chunk } }) => {
      const start = at;
      bytes.set(data, start);
      at += data.length;
      return { ...chunk, at: start, length: data.length };
    });
    this.#workers[worker]?.postMessage({ id, bytes, chunks } satisfies MatchRequest, [bytes.buffer]);
  }

  /** Starts the workers if needed and resolves once one of them is ready to match. */
  whenReady(): Promise<void> {
    this.start();
    return this.#firstReady;
  }

  /** Workers started so far, including closed ones. */
  get workersStarted(): number {
    return this.#started;
  }

  /** Starts the workers now (they compile the rules meanwhile) instead of after the warm-up; idempotent. */
  start(): void {
    if (this.#workers.length > 0) return;
    for (let i = 0; i < this.#size; i++) this.#spawn();
  }

  #spawn(): void {
    const worker = matchingWorker(this.#spec);
    worker.on('message', (message: MatchResponse | WorkerReady) => {
      if ('ready' in message) {
        this.#ready = true;
        this.#markReady();
      } else this.#answer(message);
    });
    worker.on('error', (error) => this.#failAll(error));
    this.#workers.push(worker);
    this.#load.push(0);
    this.#started++;
  }

  #answer(response: MatchResponse): void {
    const sent = this.#sent.get(response.id);
    if (sent === undefined) return;
    this.#sent.delete(response.id);
    this.#load[sent.worker] = (this.#load[sent.worker] ?? sent.batch.length) - sent.batch.length;
    if (this.#load[sent.worker] === 0 && !this.#flushScheduled) this.#flush();
    sent.batch.forEach((pending, i) => {
      if (response.error !== undefined) {
        pending.reject(new Error(`matching worker failed: ${response.error}`));
        return;
      }
      const wire = response.findings[i] ?? [];
      const origin = pending.chunk.origin;
      const findings: Finding[] = wire.map(({ secretValue, timestamp, ...rest }) => ({
        ...rest,
        secret: new Secret(secretValue),
        origin: timestamp === undefined ? origin : ({ ...origin, timestamp } as typeof origin),
      }));
      const contextKeywords = response.contextKeywords?.[i];
      pending.resolve(contextKeywords === undefined ? findings : withContextKeywords(findings, contextKeywords));
    });
  }

  #failAll(error: Error): void {
    for (const { batch } of this.#sent.values()) for (const p of batch) p.reject(new Error(`matching worker crashed: ${error.message}`));
    this.#sent.clear();
  }

  async close(): Promise<void> {
    await this.#inline.close();
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
