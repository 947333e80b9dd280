/**
 * A push parser for `git cat-file --batch` output: `<oid> <type> <size>\n<size bytes>\n` per object, or
 * `<name> missing\n` / `<name> ambiguous\n`. It works on arbitrary piece boundaries and arbitrary bytes:
 * a malformed header is reported as an event and parsing resumes at the next line; it never throws.
 *
 * Bodies are never concatenated piece by piece (quadratic on large blobs): a body that lies inside one
 * piece is a zero-copy view of it, a small body that spans pieces is copied once into a buffer allocated
 * at its final size, and a body larger than `maxWholeObject` is handed on as a stream of views. With
 * `memory`, whole bodies are copied into buffers taken from it instead (see ByteRing), so no view keeps a
 * piece alive.
 */
import type { ChunkMemory } from '../byte-ring.js';

export type CatFileEvent =
  | { readonly kind: 'object'; readonly oid: string; readonly type: string; readonly size: number; readonly data: Buffer }
  | { readonly kind: 'object-start'; readonly oid: string; readonly type: string; readonly size: number }
  | { readonly kind: 'object-data'; readonly data: Buffer }
  | { readonly kind: 'object-end' }
  | { readonly kind: 'missing'; readonly name: string; readonly reason: 'missing' | 'ambiguous' }
  | { readonly kind: 'malformed'; readonly message: string };

export interface CatFileParserOptions {
  /** Bodies up to this size arrive whole in one `object` event; larger ones as start/data/end. */
  readonly maxWholeObject?: number;
  /** Where whole bodies go when it has room; what it lends is its owner's to take back (one cut short is given back here). */
  readonly memory?: ChunkMemory;
}

const NL = 10;
const MAX_HEADER = 4096;
const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) (\d{1,15})$/;

interface Header {
  readonly oid: string;
  readonly type: string;
  readonly size: number;
}

type State =
  | { readonly at: 'header' }
  /** A body delivered whole: `target` is allocated (at its final size) only once the body spans pieces. */
  | { readonly at: 'whole'; readonly header: Header; readonly target: Buffer | undefined; readonly filled: number }
  /** A large body delivered as views. */
  | { readonly at: 'stream'; readonly remaining: number }
  | { readonly at: 'trailer' };

export class CatFileParser {
  readonly #maxWhole: number;
  readonly #memory: ChunkMemory | undefined;
  #state: State = { at: 'header' };
  /** Header bytes seen so far when a header spans pieces. */
  #header: Buffer[] = [];
  #headerLength = 0;
  /** After an over-long header line: drop bytes until the next newline. */
  #discarding = false;

  constructor(options: CatFileParserOptions = {}) {
    this.#maxWhole = options.maxWholeObject ?? 8 * 1024 * 1024;
    this.#memory = options.memory;
  }

  /** Parses one piece; returned events may hold views of `piece`. */
  push(piece: Buffer): CatFileEvent[] {
    const events: CatFileEvent[] = [];
    let at = 0;
    while (at < piece.length) {
      const state = this.#state;
      if (state.at === 'header') at = this.#readHeader(piece, at, events);
      else if (state.at === 'whole') at = this.#readWhole(state, piece, at, events);
      else if (state.at === 'stream') at = this.#readStream(state, piece, at, events);
      else {
        if (piece[at] === NL) at++;
        else events.push({ kind: 'malformed', message: 'object body not followed by a newline' });
        this.#state = { at: 'header' };
      }
    }
    return events;
  }

  /** The input ended: reports an object or header cut short. */
  end(): CatFileEvent[] {
    const events: CatFileEvent[] = [];
    const state = this.#state;
    if (state.at === 'whole') {
      if (state.target !== undefined) this.#memory?.give(state.target);
      events.push({ kind: 'malformed', message: `output ended ${state.header.size - state.filled} bytes before the end of an object` });
    } else if (state.at === 'stream') {
      events.push({ kind: 'malformed', message: `output ended ${state.remaining} bytes before the end of an object` });
      events.push({ kind: 'object-end' });
    } else if (state.at === 'header' && this.#headerLength > 0 && !this.#discarding) {
      events.push({ kind: 'malformed', message: 'output ended inside an object header' });
    }
    this.#state = { at: 'header' };
    this.#header = [];
    this.#headerLength = 0;
    this.#discarding = false;
    return events;
  }

  #readHeader(piece: Buffer, at: number, events: CatFileEvent[]): number {
    const nl = piece.indexOf(NL, at);
    const stop = nl === -1 ? piece.length : nl;
    if (this.#discarding) {
      if (nl !== -1) this.#discarding = false;
      return nl === -1 ? piece.length : nl + 1;
    }
    if (this.#headerLength + (stop - at) > MAX_HEADER) {
      events.push({ kind: 'malformed', message: `header line longer than ${MAX_HEADER} bytes` });
      this.#header = [];
      this.#headerLength = 0;
      this.#discarding = nl === -1;
      return nl === -1 ? piece.length : nl + 1;
    }
    if (nl === -1) {
      this.#header.push(piece.subarray(at));
      this.#headerLength += piece.length - at;
      return piece.length;
    }
    const line =
      this.#headerLength === 0
        ? piece.toString('latin1', at, nl)
        : Buffer.concat([...this.#header, piece.subarray(at, nl)]).toString('latin1');
    this.#header = [];
    this.#headerLength = 0;
    this.#onHeader(line, events);
    return nl + 1;
  }

  #onHeader(line: string, events: CatFileEvent[]): void {
    const match = HEADER.exec(line);
    if (match !== null) {
      const [, oid = '', type = '', sizeText = '0'] = match;
      const size = Number(sizeText);
      if (size > this.#maxWhole) {
        events.push({ kind: 'object-start', oid, type, size });
        this.#state = { at: 'stream', remaining: size };
      } else if (size === 0) {
        events.push({ kind: 'object', oid, type, size, data: Buffer.alloc(0) });
        this.#state = { at: 'trailer' };
      } else {
        this.#state = { at: 'whole', header: { oid, type, size }, target: undefined, filled: 0 };
      }
      return;
    }
    const space = line.lastIndexOf(' ');
    const reason = line.slice(space + 1);
    if (space > 0 && (reason === 'missing' || reason === 'ambiguous')) {
      events.push({ kind: 'missing', name: line.slice(0, space), reason });
      return;
    }
    if (line === '') return; // tolerate blank lines between records
    events.push({ kind: 'malformed', message: `unexpected header line (${line.length} bytes)` });
  }

  #readWhole(state: State & { at: 'whole' }, piece: Buffer, at: number, events: CatFileEvent[]): number {
    const { header } = state;
    const take = Math.min(header.size - state.filled, piece.length - at);
    const view = piece.subarray(at, at + take);
    const filled = state.filled + take;
    let target = state.target ?? this.#memory?.take(header.size);
    if (target === undefined && filled === header.size) {
      events.push({ kind: 'object', ...header, data: view }); // the body lies in this piece: no copy
      this.#state = { at: 'trailer' };
      return at + take;
    }
    target ??= Buffer.allocUnsafe(header.size);
    view.copy(target, state.filled);
    if (filled === header.size) {
      events.push({ kind: 'object', ...header, data: target });
      this.#state = { at: 'trailer' };
    } else {
      this.#state = { at: 'whole', header, target, filled };
    }
    return at + take;
  }

  #readStream(state: State & { at: 'stream' }, piece: Buffer, at: number, events: CatFileEvent[]): number {
    const take = Math.min(state.remaining, piece.length - at);
    if (take > 0) events.push({ kind: 'object-data', data: piece.subarray(at, at + take) });
    const remaining = state.remaining - take;
    if (remaining === 0) {
      events.push({ kind: 'object-end' });
      this.#state = { at: 'trailer' };
    } else {
      this.#state = { at: 'stream', remaining };
    }
    return at + take;
  }
}

/** Parses a whole stream of cat-file output into events (a convenience over `CatFileParser`). */
export async function* catFileEvents(stream: AsyncIterable<Buffer>, options: CatFileParserOptions = {}): AsyncGenerator<CatFileEvent> {
  const parser = new CatFileParser(options);
  for await (const piece of stream) yield* parser.push(piece);
  yield* parser.end();
}
