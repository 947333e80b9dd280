/** How a run of text was encoded. `escape` is JSON/JS string escapes (`\u0067`, `\x67`). */
export type Encoding = 'base64' | 'hex' | 'url' | 'escape';

/** A run of encoded text found in a buffer, and the bytes it decodes to. */
export interface DecodedRun {
  readonly encoding: Encoding;
  /** Span of the encoded text in the buffer it was found in. */
  readonly start: number;
  readonly end: number;
  readonly bytes: Buffer;
  /** The span of the encoded text (in the searched buffer) that encodes bytes[from, to). */
  encodedSpan(from: number, to: number): [number, number];
}

/**
 * Whether decoded bytes look like text worth matching: almost all printable ASCII or whitespace. Random
 * bytes (what an identifier or a hash "decodes" to) are ~37% printable, so this cuts nearly every false run.
 */
export function looksLikeText(bytes: Buffer, from = 0, to = bytes.length): boolean {
  const n = to - from;
  if (n <= 0) return false;
  let printable = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i] ?? 0;
    if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) printable++;
  }
  return printable >= n * 0.9;
}

/** Offsets table for decoders whose escapes have different lengths (`%41` vs `A`). */
export class OffsetMap {
  #starts: Int32Array;
  #length = 0;

  constructor(capacity: number) {
    this.#starts = new Int32Array(Math.max(1, capacity + 1));
  }

  /** Records that the next decoded byte starts at `encodedOffset`. */
  push(encodedOffset: number): void {
    if (this.#length + 1 >= this.#starts.length) {
      const grown = new Int32Array(this.#starts.length * 2);
      grown.set(this.#starts);
      this.#starts = grown;
    }
    this.#starts[this.#length++] = encodedOffset;
  }

  /** Closes the table: decoded offset `length` maps to the end of the run. */
  finish(end: number): void {
    this.push(end);
    this.#length--;
  }

  span(from: number, to: number): [number, number] {
    const at = (i: number): number => this.#starts[Math.min(Math.max(i, 0), this.#length)] ?? 0;
    return [at(from), at(to)];
  }
}
