/**
 * Maps byte offsets in a chunk to 1-based line and column (in code points). Offsets must be asked for in
 * ascending order; each call scans only the bytes since the previous one.
 */
export class PositionIndex {
  readonly #data: Buffer;
  readonly #firstColumn: number;
  #at = 0;
  #line: number;
  /** Start of the current line in data, or -1 while still on the line data[0] sits on. */
  #lineStart = -1;

  /** `line` and `column` are those of data[0] in the whole object. */
  constructor(data: Buffer, line: number, column: number) {
    this.#data = data;
    this.#line = line;
    this.#firstColumn = column;
  }

  positionOf(offset: number): { line: number; column: number } {
    if (offset < this.#at) throw new RangeError('PositionIndex offsets must ascend');
    let nl = this.#data.indexOf(10, this.#at);
    while (nl !== -1 && nl < offset) {
      this.#line++;
      this.#lineStart = nl + 1;
      nl = this.#data.indexOf(10, nl + 1);
    }
    this.#at = offset;
    const column =
      this.#lineStart < 0
        ? this.#firstColumn + codePoints(this.#data, 0, offset)
        : 1 + codePoints(this.#data, this.#lineStart, offset);
    return { line: this.#line, column };
  }
}

/** Number of UTF-8 code points in data[from, to): bytes that are not continuation bytes. */
export function codePoints(data: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (((data[i] ?? 0) & 0xc0) !== 0x80) n++;
  return n;
}
