import { Worker } from 'node:worker_threads';
import type { Chunk } from '../chunk.js';
import type { Finding } from '../finding.js';
import { Secret } from '../secret.js';
import type { Engine } from './engine.js';
import type { MatchResponse, WorkerSpec } from './worker-protocol.js';

/** Something that turns a chunk into findings, in this thread or another. */
export interface ChunkMatcher {
  match(chunk: Chunk): Finding[] | Promise<Finding[]>;
  close(): Promise<void>;
}

/** The engine in this thread: no start-up cost, the right choice for small scans and `--jobs 1`. */
export class InlineMatcher implements ChunkMatcher {
  readonly #engine: Engine;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  match(chunk: Chunk): Finding[] {
    return this.#engine.scan(chunk);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The compiled worker script; under the test runner (sources in src/) the built copy in dist/ is used. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.includes('/src/engine/') ? new URL('../../dist/engine/engine-worker.js', here) : new URL('./engine-worker.js', here);
}

interface Pending {
  readonly chunk: Chunk;
  readonly resolve: (findings: Finding[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Matches chunks on worker threads. Small scans never pay for it: chunks are matched inline until
 * `warmupBytes` have gone by, then `size` workers start (each compiles the rules itself). Callers keep
 * output order by awaiting results in submission order, so findings are identical for any pool size.
 */
export class WorkerPoolMatcher implements ChunkMatcher {
  readonly #inline: InlineMatcher;
  readonly #spec: WorkerSpec;
  readonly #size: number;
  readonly #warmupBytes: number;
  #seen = 0;
  #workers: Worker[] = [];
  #load: number[] = [];
  #nextId = 1;
  readonly #pending = new Map<number, Pending & { readonly worker: number }>();

  constructor(engine: Engine, spec: WorkerSpec, size: number, warmupBytes = 16 * 1024 * 1024) {
    this.#inline = new InlineMatcher(engine);
    this.#spec = spec;
    this.#size = size;
    this.#warmupBytes = warmupBytes;
  }

  match(chunk: Chunk): Finding[] | Promise<Finding[]> {
    this.#seen += chunk.data.length;
    if (this.#workers.length === 0 && this.#seen < this.#warmupBytes) return this.#inline.match(chunk);
    if (this.#workers.length === 0) this.#start();
    let worker = 0;
    for (let i = 1; i < this.#workers.length; i++) if ((this.#load[i] ?? 0) < (this.#load[worker] ?? 0)) worker = i;
    const id = this.#nextId++;
    this.#load[worker] = (this.#load[worker] ?? 0) + 1;
    return new Promise<Finding[]>((resolve, reject) => {
      this.#pending.set(id, { chunk, resolve, reject, worker });
      this.#workers[worker]?.postMessage({ id, chunk: { ...chunk, data: new Uint8Array(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength) } });
    });
  }

  #start(): void {
    for (let i = 0; i < this.#size; i++) {
      const worker = new Worker(workerUrl(), { workerData: this.#spec });
      worker.on('message', (response: MatchResponse) => this.#answer(response));
      worker.on('error', (error) => this.#failAll(error));
      this.#workers.push(worker);
      this.#load.push(0);
    }
  }

  #answer(response: MatchResponse): void {
    const pending = this.#pending.get(response.id);
    if (pending === undefined) return;
    this.#pending.delete(response.id);
    this.#load[pending.worker] = (this.#load[pending.worker] ?? 1) - 1;
    if (response.error !== undefined) {
      pending.reject(new Error(`matching worker failed: ${response.error}`));
      return;
    }
    pending.resolve(response.findings.map(({ secretValue, ...rest }) => ({ ...rest, secret: new Secret(secretValue), origin: pending.chunk.origin })));
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(new Error(`matching worker crashed: ${error.message}`));
    this.#pending.clear();
  }

  async close(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
