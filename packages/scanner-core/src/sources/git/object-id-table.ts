/**
 * Dense numbers (0, 1, 2, …) for git object ids, the ids kept as bytes in typed arrays. The blob → commit
 * index of a large history holds hundreds of thousands of ids: as hex strings in Maps they were most of a
 * history scan's live JS heap (~100 bytes an id), which every full collection marks and which V8 grows its
 * heap in proportion to. Here an id costs its 20 (SHA-1) or 32 (SHA-256) bytes plus 8 bytes of hash slots.
 *
 * Ids are given as lowercase or uppercase hex, as a string or as bytes of a larger buffer (git's raw log);
 * text that is not a SHA-1 or SHA-256 id in hex, or not of the table's width, is never added and never found.
 */
export class ObjectIdTable {
  /** Bytes per id, set by the first id added (a repository uses one object format). */
  #width = 0;
  /** Id number n's bytes at [n × width, (n + 1) × width). */
  #keys = new Uint8Array(0);
  /** Open addressing, linear probing: id number + 1, or 0 for an empty slot. At most half full. */
  #slots = new Int32Array(1024);
  #size = 0;
  readonly #scratch = new Uint8Array(SHA256_WIDTH);

  get size(): number {
    return this.#size;
  }

  /** The number of the id spelled by `hex`, or undefined when it was never added. */
  find(hex: string): number | undefined {
    // As UTF-8, so a character outside ASCII stays a non-hex byte (Latin-1 would keep only its low byte).
    const text = Buffer.from(hex);
    const width = this.#parse(text, 0, text.length);
    return width === undefined || width !== this.#width ? undefined : this.#lookup(false);
  }

  /** The number of the id spelled by bytes [start, end) of `text`, adding it when new; undefined when not hex. */
  add(text: Uint8Array, start: number, end: number): number | undefined {
    const width = this.#parse(text, start, end);
    if (width === undefined) return undefined;
    if (this.#width === 0) this.#width = width;
    if (width !== this.#width) return undefined;
    return this.#lookup(true);
  }

  /** Parses hex into the scratch bytes; returns their count, or undefined when the text is not an id. */
  #parse(text: Uint8Array, start: number, end: number): number | undefined {
    const length = end - start;
    if (length !== 2 * SHA1_WIDTH && length !== 2 * SHA256_WIDTH) return undefined;
    const scratch = this.#scratch;
    for (let i = 0; i < length; i += 2) {
      const hi = hexValue(text[start + i] ?? 0);
      const lo = hexValue(text[start + i + 1] ?? 0);
      if (hi < 0 || lo < 0) return undefined;
      scratch[i >> 1] = (hi << 4) | lo;
    }
    return length >> 1;
  }

  /** The scratch id's number; added when absent and `insert`. */
  #lookup(insert: boolean): number | undefined {
    const mask = this.#slots.length - 1;
    for (let slot = hashAt(this.#scratch, 0) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot] ?? 0;
      if (entry === 0) {
        if (!insert) return undefined;
        return this.#insert(slot);
      }
      if (this.#keyEquals(entry - 1)) return entry - 1;
    }
  }

  #insert(slot: number): number {
    const id = this.#size++;
    const width = this.#width;
    if ((id + 1) * width > this.#keys.length) {
      const grown = new Uint8Array(Math.max(1024 * width, this.#keys.length * 2));
      grown.set(this.#keys);
      this.#keys = grown;
    }
    this.#keys.set(this.#scratch.subarray(0, width), id * width);
    this.#slots[slot] = id + 1;
    if (2 * this.#size > this.#slots.length) this.#rehash();
    return id;
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    const width = this.#width;
    for (let id = 0; id < this.#size; id++) {
      let slot = hashAt(this.#keys, id * width) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.#slots = slots;
  }

  #keyEquals(id: number): boolean {
    const width = this.#width;
    const at = id * width;
    for (let i = 0; i < width; i++) if (this.#keys[at + i] !== this.#scratch[i]) return false;
    return true;
  }
}

const SHA1_WIDTH = 20;
const SHA256_WIDTH = 32;

/** Object ids are hash outputs, so a few of their bytes, mixed, are a good hash. */
function hashAt(bytes: Uint8Array, at: number): number {
  const a = ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
  const b = ((bytes[at + 4] ?? 0) | ((bytes[at + 5] ?? 0) << 8) | ((bytes[at + 6] ?? 0) << 16) | ((bytes[at + 7] ?? 0) << 24)) >>> 0;
  return (Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) ^ (b >>> 15)) >>> 0;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
