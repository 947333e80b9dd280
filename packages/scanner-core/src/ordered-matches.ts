import type { Chunk } from './chunk.js';
import type { ChunkMatcher } from './engine/worker-pool.js';
import type { Finding } from './finding.js';

/**
 * Chunks being matched (in this thread or on workers), taken back strictly in the order they were added, so
 * a report is the same whatever did the matching. Memory is bounded: once `chunks` or `bytes` are out, `add`
 * waits for the oldest; a result that is already there (inline matching) is taken at once.
 */
export class OrderedMatches<T extends { readonly chunk: Chunk }> {
  readonly #matcher: ChunkMatcher;
  readonly #take: (item: T, findings: Finding[]) => Promise<void>;
  readonly #limits: { readonly chunks: number; readonly bytes: number };
  readonly #queue: { readonly item: T; readonly result: Finding[] | Promise<Finding[]> }[] = [];
  #bytes = 0;

  constructor(matcher: ChunkMatcher, take: (item: T, findings: Finding[]) => Promise<void>, limits: { readonly chunks: number; readonly bytes: number }) {
    this.#matcher = matcher;
    this.#take = take;
    this.#limits = limits;
  }

  async add(item: T): Promise<void> {
    this.#queue.push({ item, result: this.#matcher.match(item.chunk) });
    this.#bytes += item.chunk.data.length;
    while (this.#queue.length >= this.#limits.chunks || this.#bytes >= this.#limits.bytes || !(this.#queue[0]?.result instanceof Promise)) {
      if (!(await this.#takeOldest())) break;
    }
  }

  /** Takes back everything still out, in order. */
  async drain(): Promise<void> {
    while (await this.#takeOldest());
  }

  /** Forgets what is still out (after a failure), without leaving its rejections unobserved. */
  discard(): void {
    for (const { result } of this.#queue) void Promise.resolve(result).catch(() => undefined);
    this.#queue.length = 0;
    this.#bytes = 0;
  }

  async #takeOldest(): Promise<boolean> {
    const head = this.#queue.shift();
    if (head === undefined) return false;
    this.#bytes -= head.item.chunk.data.length;
    await this.#take(head.item, await head.result);
    return true;
  }
}
