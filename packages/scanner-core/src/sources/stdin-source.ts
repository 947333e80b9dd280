import type { Readable } from 'node:stream';
import type { Chunk } from '../chunk.js';
import { streamChunks } from './read-item.js';
import type { Source, SourceContext } from './source.js';

/** Scans a readable stream (standard input) in overlapping windows; memory stays at one window. */
export class StdinSource implements Source {
  readonly id = 'stdin';
  readonly #stream: Readable;
  readonly #label: string;

  constructor(stream: Readable, label = '<stdin>') {
    this.#stream = stream;
    this.#label = label;
  }

  chunks(context: SourceContext): AsyncIterable<Chunk> {
    return streamChunks(this.#stream as AsyncIterable<Buffer>, { kind: 'stdin', path: this.#label }, context);
  }
}
