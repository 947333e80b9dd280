import type { BlobRef } from './blob-introductions.js';

/**
 * Blobs requested from cat-file and not yet answered, in request order (cat-file answers in order). The
 * attribution log is read to its end whatever cat-file's pace (see HistoryBlobs), so on a large history tens
 * of thousands wait here at once: as one object and two hex strings each they were ~150 bytes of the JS heap
 * apiece, a third of a history scan's live heap. Here a request is its path (a string the blob index interns
 * and keeps anyway) and its id and predecessor's id as bytes, in a ring that grows.
 */
export class RequestQueue {
  #paths: (string | undefined)[] = new Array<string | undefined>(1024);
  /** Per slot: a flag byte (1: has a predecessor), then the id's and the predecessor's bytes. */
  #ids = Buffer.alloc(1024 * SLOT_BYTES);
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(ref: BlobRef): void {
    if (this.#length === this.#paths.length) this.#grow();
    const slot = (this.#head + this.#length) % this.#paths.length;
    this.#paths[slot] = ref.path;
    const at = slot * SLOT_BYTES;
    this.#ids[at] = ref.predecessor === undefined ? 0 : 1;
    writeHex(this.#ids, at + 1, ref.oid);
    if (ref.predecessor !== undefined) writeHex(this.#ids, at + 1 + ID_BYTES, ref.predecessor);
    this.#length++;
  }

  /** The oldest request, removed; undefined when none waits. */
  shift(): BlobRef | undefined {
    if (this.#length === 0) return undefined;
    const slot = this.#head;
    const path = this.#paths[slot] ?? '';
    this.#paths[slot] = undefined;
    this.#head = (this.#head + 1) % this.#paths.length;
    this.#length--;
    const at = slot * SLOT_BYTES;
    const oid = readHex(this.#ids, at + 1);
    return { oid, path, predecessor: this.#ids[at] === 1 ? readHex(this.#ids, at + 1 + ID_BYTES) : undefined };
  }

  #grow(): void {
    const capacity = this.#paths.length;
    const paths = new Array<string | undefined>(capacity * 2);
    const ids = Buffer.alloc(capacity * 2 * SLOT_BYTES);
    for (let i = 0; i < this.#length; i++) {
      const slot = (this.#head + i) % capacity;
      paths[i] = this.#paths[slot];
      this.#ids.copy(ids, i * SLOT_BYTES, slot * SLOT_BYTES, (slot + 1) * SLOT_BYTES);
    }
    this.#paths = paths;
    this.#ids = ids;
    this.#head = 0;
  }
}

/** An id's hex as bytes: its length in bytes, then the bytes (room for SHA-256; a SHA-1 id leaves 12 unused). */
const ID_BYTES = 1 + 32;
const SLOT_BYTES = 1 + 2 * ID_BYTES;

/** Ids come from git, in lowercase hex; anything else is a bug upstream, not input to skip quietly. */
function writeHex(bytes: Buffer, at: number, hex: string): void {
  const length = hex.length / 2;
  if (!Number.isInteger(length) || length > ID_BYTES - 1 || bytes.write(hex, at + 1, length, 'hex') !== length || hex !== hex.toLowerCase()) {
    throw new Error(`not an object id: ${JSON.stringify(hex.slice(0, 80))}`);
  }
  bytes[at] = length;
}

function readHex(bytes: Buffer, at: number): string {
  return bytes.toString('hex', at + 1, at + 1 + (bytes[at] ?? 0));
}
