import type { Chunk } from '../chunk.js';

/** Lends buffers (undefined when it has no room) and takes them back; ByteRing is the one in use. */
export interface ChunkMemory {
  take(length: number): Buffer | undefined;
  give(buffer: Buffer): void;
}

/** A buffer the ring lent: its range, and whether it was given back (it is reclaimed once the older ones are). */
interface Loan {
  readonly start: number;
  readonly end: number;
  back: boolean;
}

/**
 * Memory a source lends its chunks' bytes from, and takes back once `scan()` is done with each chunk (see
 * Source.release), so the bytes of a long scan flow through one block instead of a new Buffer per item.
 *
 * Why: a chunk's bytes live while it waits to be matched (up to 16 MB in flight), long enough for V8 to move
 * their Buffer objects out of the young generation; such Buffers are freed only by a full collection, which
 * V8 starts once enough of them pile up. On typescript-eslint's 2.6 GB history some runs made 85 full
 * collections of the main thread for them (2.7 s); a 1 GB log ~50. Bytes lent from here are one block instead.
 *
 * Space is handed out in order around the block and reclaimed in that order: a buffer given back early is
 * reclaimed once every buffer taken before it is back too. Chunks are released in the order they were read,
 * so that is the common case.
 */
export class ByteRing implements ChunkMemory {
  readonly #size: number;
  #block: Buffer | undefined;
  /** Buffers lent and not yet reclaimed, oldest first (from #oldest on), and the same by start offset. */
  readonly #lent: Loan[] = [];
  #oldest = 0;
  readonly #byStart = new Map<number, Loan>();
  /** Where the next buffer goes; `wrapped` when that is behind the oldest lent buffer. */
  #head = 0;
  #wrapped = false;

  constructor(size: number) {
    this.#size = size;
  }

  /** `length` bytes of the ring (contents undefined), or undefined when that much is not free now. */
  take(length: number): Buffer | undefined {
    if (length <= 0 || length > this.#size) return undefined;
    const oldest = this.#lent[this.#oldest];
    let start: number | undefined;
    if (oldest === undefined) {
      this.#head = 0;
      this.#wrapped = false;
      start = 0;
    } else if (this.#wrapped) {
      if (oldest.start - this.#head >= length) start = this.#head;
    } else if (this.#size - this.#head >= length) {
      start = this.#head;
    } else if (oldest.start >= length) {
      start = 0;
      this.#wrapped = true;
    }
    if (start === undefined) return undefined;
    // Allocated on first use and never zeroed: what is not yet written costs no memory.
    this.#block ??= Buffer.allocUnsafeSlow(this.#size);
    const record = { start, end: start + length, back: false };
    this.#lent.push(record);
    this.#byStart.set(start, record);
    this.#head = record.end;
    return this.#block.subarray(start, record.end);
  }

  /** Whether `buffer` is (a view of) memory of this ring. */
  holds(buffer: Uint8Array): boolean {
    return this.#block !== undefined && buffer.buffer === this.#block.buffer;
  }

  /** Takes back a buffer `take` returned; it must not be read or written afterwards. */
  give(buffer: Buffer): void {
    if (this.#block === undefined || !this.holds(buffer)) return;
    const record = this.#byStart.get(buffer.byteOffset - this.#block.byteOffset);
    if (record === undefined || record.back) return;
    record.back = true;
    for (let first = this.#lent[this.#oldest]; first?.back === true; first = this.#lent[this.#oldest]) {
      this.#byStart.delete(first.start);
      this.#oldest++;
      const next = this.#lent[this.#oldest];
      // The oldest buffer is now at the block's start again: the free space no longer wraps.
      if (next !== undefined && next.start < first.start) this.#wrapped = false;
    }
    if (this.#oldest > 1024 && this.#oldest * 2 > this.#lent.length) {
      this.#lent.splice(0, this.#oldest);
      this.#oldest = 0;
    }
  }

  /** Bytes lent and not yet reclaimed. */
  get lentBytes(): number {
    let n = 0;
    for (let i = this.#oldest; i < this.#lent.length; i++) n += (this.#lent[i]?.end ?? 0) - (this.#lent[i]?.start ?? 0);
    return n;
  }
}

/**
 * A ring and the buffer of it each chunk in flight holds, for a source's `release`: the chunks made from one
 * lent buffer (one, or several windows of it) are recorded, and the buffer goes back once all are released,
 * or at once when none holds it (a binary skipped, UTF-16 text transcoded into a buffer of its own).
 */
export class ChunkLoans {
  readonly ring: ByteRing;
  readonly #held = new Map<Chunk, Buffer>();
  readonly #holders = new Map<Buffer, number>();

  constructor(bytes: number) {
    this.ring = new ByteRing(bytes);
  }

  /** Passes `chunks` on, recording each whose bytes lie in `bytes` (a buffer `ring` lent, or any other). */
  async *lend(bytes: Buffer, chunks: AsyncIterable<Chunk>): AsyncGenerator<Chunk> {
    const lent = this.ring.holds(bytes);
    // The lending itself holds the buffer too: a chunk released while later ones are still being made
    // must not hand it back.
    if (lent) this.#hold(bytes);
    try {
      for await (const chunk of chunks) {
        if (lent && within(chunk.data, bytes)) {
          this.#held.set(chunk, bytes);
          this.#hold(bytes);
        }
        yield chunk;
      }
    } finally {
      if (lent) this.#drop(bytes);
    }
  }

  release(chunk: Chunk): void {
    const bytes = this.#held.get(chunk);
    if (bytes === undefined) return;
    this.#held.delete(chunk);
    this.#drop(bytes);
  }

  #hold(bytes: Buffer): void {
    this.#holders.set(bytes, (this.#holders.get(bytes) ?? 0) + 1);
  }

  #drop(bytes: Buffer): void {
    const left = (this.#holders.get(bytes) ?? 1) - 1;
    if (left > 0) this.#holders.set(bytes, left);
    else {
      this.#holders.delete(bytes);
      this.ring.give(bytes);
    }
  }
}

function within(view: Uint8Array, bytes: Uint8Array): boolean {
  return view.buffer === bytes.buffer && view.byteOffset >= bytes.byteOffset && view.byteOffset + view.length <= bytes.byteOffset + bytes.length;
}
