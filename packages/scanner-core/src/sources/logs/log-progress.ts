import { HEAD_BYTES, TAIL_BYTES } from './log-state.js';

/**
 * Follows a decoded stream as it passes through: bytes, newlines, where the last complete line ends and
 * the KB before that point, so an incremental run can record where the next one resumes. The first KB is
 * kept too when the stream starts at offset 0. Costs one `indexOf` per line and a 1 KB copy per piece; a
 * scan that records nothing (no `--state`) counts only bytes (the line count was ~0.35 s of the main
 * thread per GB of log, the windows counting the same newlines again).
 */
export class LogProgressTracker {
  /** Absolute offset of the next byte. */
  position: number;
  /** 1-based line number at `lineStart`. */
  line: number;
  /** Offset just after the last newline seen (the start of the current, maybe incomplete, line). */
  lineStart: number;
  /** Up to TAIL_BYTES bytes ending at `lineStart`. */
  tail: Buffer;
  head: Buffer;
  #recent: Buffer = Buffer.alloc(0);
  readonly #recording: boolean;

  /** With `recording` false, only `position` follows the stream (line, lineStart, tail and head stay as given). */
  constructor(start: { offset: number; line: number; tail?: Buffer; head?: Buffer }, recording = true) {
    this.#recording = recording;
    this.position = start.offset;
    this.lineStart = start.offset;
    this.line = start.line;
    this.tail = start.tail ?? Buffer.alloc(0);
    this.#recent = this.tail;
    this.head = start.head ?? Buffer.alloc(0);
  }

  async *track(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const piece of pieces) {
      this.observe(piece);
      yield piece;
    }
  }

  observe(piece: Buffer): void {
    if (!this.#recording) {
      this.position += piece.length;
      return;
    }
    // Still collecting the head only while the stream is contiguous from offset 0.
    if (this.head.length < HEAD_BYTES && this.position === this.head.length) {
      this.head = Buffer.concat([this.head, piece.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    let last = -1;
    for (let nl = piece.indexOf(10); nl !== -1; nl = piece.indexOf(10, nl + 1)) {
      this.line++;
      last = nl;
    }
    if (last !== -1) {
      this.lineStart = this.position + last + 1;
      this.tail = lastBytes(this.#recent, piece.subarray(0, last + 1));
    }
    this.#recent = lastBytes(this.#recent, piece);
    this.position += piece.length;
  }
}

/** The last TAIL_BYTES of `before` followed by `piece`, copied (pieces are reused by streams). */
function lastBytes(before: Buffer, piece: Buffer): Buffer {
  if (piece.length >= TAIL_BYTES) return Buffer.from(piece.subarray(piece.length - TAIL_BYTES));
  const joined = Buffer.concat([before, piece]);
  return Buffer.from(joined.subarray(Math.max(0, joined.length - TAIL_BYTES)));
}
