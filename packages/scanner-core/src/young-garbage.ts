/**
 * Runs a minor (young-generation) garbage collection after every `every` bytes a scan reads, when the
 * process allows it (Node started with `--expose-gc`, as the CLI's relaunched scans are; otherwise this does
 * nothing).
 *
 * Why: Buffers that die young (decompressed pieces of a .gz log, copied into a window at once) are freed by
 * a minor collection, which V8 starts when its young generation fills with JS objects. A log scan's main
 * thread makes few objects and ~150 MB/s of such Buffers, so they piled up until V8 ran a full collection
 * for them instead: ~45 per GB of log (0.8 s). One minor collection per 8 MB read costs ~0.5 ms and leaves
 * none to do (logs .gz 7.4 → 6.0 s here).
 */
export class YoungGarbage {
  readonly #every: number;
  readonly #collect: ((options: { type: 'minor' }) => void) | undefined;
  #since = 0;

  constructor(every = 8 * 1024 * 1024, collect = exposedCollector()) {
    this.#every = every;
    this.#collect = collect;
  }

  /** `bytes` more were read. */
  read(bytes: number): void {
    if (this.#collect === undefined) return;
    this.#since += bytes;
    if (this.#since < this.#every) return;
    this.#since = 0;
    this.#collect({ type: 'minor' });
  }
}

function exposedCollector(): ((options: { type: 'minor' }) => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as (options: { type: 'minor' }) => void) : undefined;
}
