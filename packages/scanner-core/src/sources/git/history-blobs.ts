import { InputError } from '../../errors.js';
import { writeBytes } from '../../stream-write.js';
import type { BlobRef } from './blob-introductions.js';
import type { ChunkMemory } from '../byte-ring.js';
import { CatFileParser, type CatFileEvent } from './cat-file-stream.js';
import { firstLine, spawnGit, type GitStream } from './git-process.js';
import type { BlobSink } from './raw-log-reader.js';
import { RequestQueue } from './request-queue.js';

/** What reading the history's blobs produces, in request order. */
export type BlobEvent =
  | { readonly kind: 'blob'; readonly oid: string; readonly path: string; readonly data: Buffer; readonly predecessor?: string }
  | { readonly kind: 'blob-start'; readonly oid: string; readonly path: string; readonly size: number }
  | { readonly kind: 'blob-data'; readonly data: Buffer }
  | { readonly kind: 'blob-end' }
  | { readonly kind: 'missing'; readonly oid: string; readonly path: string }
  | { readonly kind: 'problem'; readonly message: string };

export interface HistoryBlobsOptions {
  /** Blobs up to this size arrive whole; larger ones stream (start/data/end). */
  readonly maxWholeObject?: number;
  readonly signal?: AbortSignal;
  /** Blobs to read (`--shard`): the others are never requested from git. */
  readonly include?: (oid: string) => boolean;
  /** Where whole blobs' bytes go when it has room (see CatFileParserOptions.memory). */
  readonly memory?: ChunkMemory;
}

/**
 * Reads blobs through one long-lived `git cat-file --batch --buffer`, whose output is parsed as a byte
 * stream: the blobs are requested through `sink` (the attribution log hands over each blob the first time
 * it sees one) and come back from `events()`. Missing objects (cat-file `missing`) are events, not errors;
 * a failing cat-file is an InputError naming the repository.
 */
export class HistoryBlobs {
  readonly sink: BlobSink;
  readonly #label: string;
  readonly #options: HistoryBlobsOptions;
  readonly #catFile: GitStream;
  readonly #queue = new RequestQueue();

  /** Request batches not yet written to cat-file, and whether the writer loop is running or the sink ended. */
  readonly #unsent: Buffer[] = [];
  #writing = false;
  #ended = false;
  #requested = 0;
  #answered = 0;

  constructor(repo: string, label: string, options: HistoryBlobsOptions = {}) {
    this.#label = label;
    this.#options = options;
    this.#catFile = spawnGit(repo, ['cat-file', '--batch', '--buffer'], { stdin: true });
    const include = options.include ?? (() => true);
    // `write` never waits: the log that requests blobs must be read to its end whatever cat-file's pace, as
    // findings wait for the log's attribution while cat-file's output waits to be read (a deadlock if the
    // log were held back by cat-file's full input pipe). Unsent ids queue here instead, ~41 bytes each (as
    // bytes: strings built line by line stayed on the JS heap as chains of pieces until written).
    this.sink = {
      write: (blobs) => {
        const ids: string[] = [];
        for (const blob of blobs) {
          if (!include(blob.oid)) continue;
          this.#queue.push(blob);
          this.#requested++;
          ids.push(blob.oid);
        }
        if (ids.length > 0) this.#unsent.push(Buffer.from(`${ids.join('\n')}\n`, 'latin1'));
        void this.#flush();
      },
      end: () => {
        this.#ended = true;
        void this.#flush();
      },
    };
  }

  /** Objects cat-file has answered so far, of those requested so far. */
  get progress(): { readonly answered: number; readonly requested: number } {
    return { answered: this.#answered, requested: this.#requested };
  }

  /** Every requested blob, in request order; ends once the sink has ended and cat-file has answered it all. */
  async *events(): AsyncGenerator<BlobEvent> {
    const { maxWholeObject, memory } = this.#options;
    const parser = new CatFileParser({ ...(maxWholeObject === undefined ? {} : { maxWholeObject }), ...(memory === undefined ? {} : { memory }) });
    let finished = false;
    try {
      for await (const piece of this.#catFile.stdout as AsyncIterable<Buffer>) {
        for (const event of parser.push(piece)) {
          const out = this.#blobEvent(event);
          if (out !== undefined) yield out;
        }
        if (this.#options.signal?.aborted === true) return;
      }
      for (const event of parser.end()) {
        const out = this.#blobEvent(event);
        if (out !== undefined) yield out;
      }
      const read = await this.#catFile.exited;
      if (read.code !== 0) throw new InputError(`${this.#label}: git cat-file failed: ${firstLine(read.stderr)}`);
      finished = true;
    } finally {
      if (!finished) this.#catFile.kill();
    }
  }

  /** Writes the queued ids to cat-file as fast as its input pipe takes them, then ends it once the sink has. */
  async #flush(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    const stdin = this.#catFile.stdin;
    try {
      for (let batch = this.#unsent.shift(); batch !== undefined; batch = this.#unsent.shift()) {
        if (stdin === null || stdin.destroyed || stdin.writableEnded) return;
        // A write error means cat-file is gone: events() reports that; nothing more to send.
        if (!(await writeBytes(stdin, batch).then(() => true, () => false))) return;
      }
      if (this.#ended) stdin?.end();
    } finally {
      this.#writing = false;
    }
  }

  #blobEvent(event: CatFileEvent): BlobEvent | undefined {
    switch (event.kind) {
      case 'object': {
        const { path, predecessor } = this.#expect(event.oid);
        if (event.type !== 'blob') {
          this.#options.memory?.give(event.data); // a tree or commit a tag names: not scanned
          return undefined;
        }
        return { kind: 'blob', oid: event.oid, path, data: event.data, ...(predecessor === undefined ? {} : { predecessor }) };
      }
      case 'object-start': {
        const { path } = this.#expect(event.oid);
        return { kind: 'blob-start', oid: event.oid, path, size: event.size };
      }
      case 'object-data':
        return { kind: 'blob-data', data: event.data };
      case 'object-end':
        return { kind: 'blob-end' };
      case 'missing': {
        const { path } = this.#expect(event.name);
        return { kind: 'missing', oid: event.name, path };
      }
      case 'malformed':
        return { kind: 'problem', message: `unexpected git cat-file output: ${event.message}` };
      default:
        return event satisfies never;
    }
  }

  /** The queued request an answer belongs to; an answer out of order loses only its path. */
  #expect(oid: string): { readonly path: string; readonly predecessor?: string } {
    this.#answered++;
    const item = this.#queue.shift();
    return item !== undefined && item.oid === oid ? item : { path: '' };
  }
}

