import type { Readable } from 'node:stream';
import type { Chunk } from '../chunk.js';
import { streamChunks } from './read-item.js';
import type { Source, SourceContext } from './source.js';

export interface StdinSourceOptions {
  /** Stop reading after this many bytes (with a warning naming the limit): endless input must end. */
  readonly maxBytes?: number;
}

/** Scans a readable stream (standard input) in overlapping windows; memory stays at one window. */
export class StdinSource implements Source {
  readonly id = 'stdin';
  readonly #stream: Readable;
  readonly #label: string;
  readonly #options: StdinSourceOptions;

  constructor(stream: Readable, label = '<stdin>', options: StdinSourceOptions = {}) {
    this.#stream = stream;
    this.#label = label;
    this.#options = options;
  }

  chunks(context: SourceContext): AsyncIterable<Chunk> {
    const max = this.#options.maxBytes;
    const input = this.#stream as AsyncIterable<Buffer>;
    const bounded = max === undefined ? input : this.#bounded(input, max, context);
    return streamChunks(bounded, { kind: 'stdin', path: this.#label }, context);
  }

  /** The first `max` bytes; then a warning, and the stream is let go so the writer gets EPIPE, not a hang. */
  async *#bounded(input: AsyncIterable<Buffer>, max: number, context: SourceContext): AsyncGenerator<Buffer> {
    let read = 0;
    for await (const piece of input) {
      if (context.signal.aborted) return;
      if (read + piece.length > max) {
        if (max > read) yield piece.subarray(0, max - read);
        context.warn(this.#label, `input exceeds --max-file-size (${max} bytes); the rest is not scanned`);
        this.#stream.destroy();
        return;
      }
      read += piece.length;
      yield piece;
    }
  }
}
