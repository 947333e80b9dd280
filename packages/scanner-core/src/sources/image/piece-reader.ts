/**
 * Reads a stream of Buffers in the sizes a parser asks for: `upTo` lends the current piece's bytes without
 * copying, `exactly` copies only what spans two pieces (a tar header cut by a piece boundary).
 */
export class PieceReader {
  readonly #iterator: AsyncIterator<Buffer>;
  #piece: Buffer = EMPTY;
  #at = 0;
  #ended = false;

  constructor(input: AsyncIterable<Buffer>) {
    this.#iterator = input[Symbol.asyncIterator]();
  }

  /** Up to `max` bytes (at least one), from the current piece; undefined at the end of the input. */
  async upTo(max: number): Promise<Buffer | undefined> {
    if (this.#at >= this.#piece.length && !(await this.#refill())) return undefined;
    const n = Math.min(max, this.#piece.length - this.#at);
    const out = this.#piece.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }

  /** Exactly `n` bytes; undefined when the input had already ended, fewer when it ends on the way. */
  async exactly(n: number): Promise<Buffer | undefined> {
    const first = await this.upTo(n);
    if (first === undefined || first.length === n) return first;
    const parts = [first];
    let have = first.length;
    while (have < n) {
      const next = await this.upTo(n - have);
      if (next === undefined) break;
      parts.push(next);
      have += next.length;
    }
    return Buffer.concat(parts, have);
  }

  /** Passes over `n` bytes; false when the input ended first. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.#at >= this.#piece.length && !(await this.#refill())) return false;
      const step = Math.min(left, this.#piece.length - this.#at);
      this.#at += step;
      left -= step;
    }
    return true;
  }

  /** Closes the input when it was not read to its end. */
  async close(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#iterator.return?.();
  }

  async #refill(): Promise<boolean> {
    while (!this.#ended) {
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#ended = true;
        break;
      }
      if (next.value.length === 0) continue;
      this.#piece = next.value;
      this.#at = 0;
      return true;
    }
    this.#piece = EMPTY;
    this.#at = 0;
    return false;
  }
}

const EMPTY = Buffer.alloc(0);
