/**
 * A fixed block of memory that copies are placed in and released from in any order (first fit, free
 * neighbours merged). Bytes kept for a while and then dropped, each in its own Buffer, reach the garbage
 * collector late: a Buffer that lived through a few collections is freed only by a full one, which V8 starts
 * after ~64 MB more of such memory. Blobs kept across a history scan then held ~70 MB more than the bytes
 * actually kept. One block, reused, holds exactly its size.
 */
export class ByteSlab {
  readonly #size: number;
  #block: Buffer | undefined;
  /** Free ranges as [start, end) pairs, ascending and never adjacent. */
  readonly #free: [number, number][];

  constructor(size: number) {
    this.#size = size;
    this.#free = [[0, size]];
  }

  /** A copy of `data` in the slab, or undefined when no free range is large enough. */
  copy(data: Uint8Array): Buffer | undefined {
    const length = data.length;
    if (length === 0) return Buffer.alloc(0);
    const i = this.#free.findIndex(([start, end]) => end - start >= length);
    const range = this.#free[i];
    if (range === undefined) return undefined;
    const start = range[0];
    if (range[1] - start === length) this.#free.splice(i, 1);
    else range[0] = start + length;
    // Allocated on first use and never zeroed: pages not yet written cost nothing.
    this.#block ??= Buffer.allocUnsafeSlow(this.#size);
    const view = this.#block.subarray(start, start + length);
    view.set(data);
    return view;
  }

  /** Returns a copy's range; the copy must not be read afterwards. */
  release(copy: Buffer): void {
    if (copy.length === 0 || this.#block === undefined || copy.buffer !== this.#block.buffer) return;
    const start = copy.byteOffset - this.#block.byteOffset;
    const end = start + copy.length;
    let i = 0;
    while (i < this.#free.length && (this.#free[i]?.[0] ?? 0) < start) i++;
    const before = this.#free[i - 1];
    const after = this.#free[i];
    if (before !== undefined && before[1] === start) {
      before[1] = end;
      if (after !== undefined && after[0] === end) {
        before[1] = after[1];
        this.#free.splice(i, 1);
      }
    } else if (after !== undefined && after[0] === end) after[0] = start;
    else this.#free.splice(i, 0, [start, end]);
  }

  /** Bytes not currently placed. */
  get available(): number {
    return this.#free.reduce((n, [start, end]) => n + end - start, 0);
  }
}
