import type { Chunk } from '../chunk.js';
import type { Finding } from '../finding.js';
import type { Origin } from '../origin.js';
import { SpanRedactor, spansOf } from './span-redactor.js';

export interface StreamRedactorOptions {
  /** A line longer than this is redacted in overlapping windows instead of waiting for its end. */
  readonly windowSize?: number;
  /** Bytes shared by consecutive windows of a long line; matches up to half of it are seen whole. */
  readonly overlap?: number;
  /** Longest open `-----BEGIN` block held back waiting for its `-----END` line. */
  readonly maxHold?: number;
  readonly origin?: Origin;
}

const BEGIN = Buffer.from('-----BEGIN ');
/** Released bytes kept in front of the next scan: enough for a line's start and a token's guard byte. */
const LEFT_CONTEXT = 4096;
const END = Buffer.from('-----END ');

/**
 * Line-buffered redaction of a byte stream. Each complete line is released as soon as its newline
 * arrives (no waiting for a full buffer); a line longer than `windowSize` is released in windows, holding
 * back only half the overlap (plus the other half as left context for the next window). The one exception is
 * an open PEM block (`-----BEGIN …` without its `-----END …` yet), held back up to `maxHold` bytes so
 * a multi-line private key is redacted whole. Bytes outside secrets pass through untouched (binary-safe).
 * Memory: at most windowSize + overlap of pending input, whatever the input.
 */
export class StreamRedactor {
  readonly #scan: (chunk: Chunk) => Finding[];
  readonly #window: number;
  readonly #half: number;
  readonly #maxHold: number;
  readonly #origin: Origin;
  readonly #spans = new SpanRedactor();
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** Stream offset of the first pending byte. */
  #start = 0;
  /** Stream offset up to which output was released. */
  #released = 0;

  constructor(scan: (chunk: Chunk) => Finding[], options: StreamRedactorOptions = {}) {
    this.#scan = scan;
    this.#window = options.windowSize ?? 1024 * 1024;
    this.#half = (options.overlap ?? 64 * 1024) >> 1;
    this.#maxHold = options.maxHold ?? 64 * 1024;
    this.#origin = options.origin ?? { kind: 'stdin', path: '<stdin>' };
    if (this.#window < 4 * this.#half) throw new RangeError('windowSize must be at least twice the overlap');
  }

  /** Secrets replaced so far. */
  get redactions(): number {
    return this.#spans.count;
  }

  /** Takes the next input bytes; returns the output that can be released now (maybe empty). */
  push(piece: Buffer): Buffer {
    if (piece.length === 0) return Buffer.alloc(0);
    this.#pending.push(piece);
    this.#pendingLength += piece.length;
    const end = this.#start + this.#pendingLength;
    const newline = piece.lastIndexOf(10);
    if (newline === -1 && end - this.#released < this.#window) return Buffer.alloc(0);
    const data = this.#joined();
    let cut = newline === -1 ? this.#released : end - piece.length + newline + 1;
    cut = this.#holdOpenBlock(data, cut);
    if (cut <= this.#released && end - this.#released >= this.#window) cut = end - this.#half;
    if (cut <= this.#released) return Buffer.alloc(0);
    return this.#release(data, cut, Math.min(end, cut + this.#half));
  }

  /** End of input (or SIGTERM): releases everything still pending. */
  end(): Buffer {
    const end = this.#start + this.#pendingLength;
    if (end <= this.#released) return Buffer.alloc(0);
    return this.#release(this.#joined(), end, end);
  }

  /** Moves `cut` back to the line of an unclosed `-----BEGIN` after the released point, unless held too long. */
  #holdOpenBlock(data: Buffer, cut: number): number {
    if (cut <= this.#released) return cut;
    const from = this.#released - this.#start;
    const begin = data.lastIndexOf(BEGIN, cut - this.#start - 1);
    if (begin === -1 || begin < from) return cut;
    // Closed only when the END line is complete, i.e. lies before the cut (which is a line boundary).
    const end = data.indexOf(END, begin + BEGIN.length);
    if (end !== -1 && end < cut - this.#start) return cut;
    if (data.length - begin > this.#maxHold) return cut;
    const lineStart = data.lastIndexOf(10, begin) + 1;
    return Math.min(cut, this.#start + Math.max(lineStart, from));
  }

  /** Scans [released, cut) with context up to `scanEnd`, returns it redacted and keeps a little left context. */
  #release(data: Buffer, cut: number, scanEnd: number): Buffer {
    const chunk: Chunk = {
      data: data.subarray(0, scanEnd - this.#start),
      origin: this.#origin,
      offset: this.#start,
      line: 1,
      column: 1,
      ownedStart: this.#released - this.#start,
      ownedEnd: cut - this.#start,
    };
    const out = this.#spans.redact(data, this.#start, this.#released, cut, spansOf(this.#scan(chunk)));
    this.#released = cut;
    // Matches after `cut` need little left context (the byte before a token, the start of its line); a
    // full half-overlap of it was rescanned with every 64 KiB pipe read, half again the work.
    const keepFrom = Math.max(this.#start, cut - Math.min(this.#half, LEFT_CONTEXT));
    const kept = data.subarray(keepFrom - this.#start);
    // Copy a small remainder so the large joined buffer can be freed.
    this.#pending = kept.length === 0 ? [] : [kept.length < data.length >> 2 ? Buffer.from(kept) : kept];
    this.#pendingLength = kept.length;
    this.#start = keepFrom;
    return out;
  }

  #joined(): Buffer {
    if (this.#pending.length > 1) this.#pending = [Buffer.concat(this.#pending, this.#pendingLength)];
    return this.#pending[0] ?? Buffer.alloc(0);
  }
}
