import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Chunk } from '../chunk.js';
import type { Finding } from '../finding.js';
import { writeBytes } from '../stream-write.js';
import { SpanRedactor, spansOf } from './span-redactor.js';

/** What a redacted copy needs to know of the item it copies. */
export interface CopiedItem {
  readonly display: string;
  /** Path below the copy directory. */
  readonly relative: string;
  readonly compression?: 'gzip' | 'zstd';
}

/**
 * A redacted copy of one log item under a directory (`logs --redact-to DIR`), written window by window
 * from the owned part of each chunk, so it is the decoded item with each secret replaced. gzip items are
 * written gzip again under the same name; zstd items are written decoded without the `.zst` suffix (no
 * zstd encoder here). Written to a temp file and renamed when complete.
 */
export class RedactedCopy {
  readonly #file: WriteStream;
  readonly #out: Writable;
  readonly #temp: string;
  readonly #target: string;
  readonly #spans = new SpanRedactor();

  private constructor(file: WriteStream, out: Writable, temp: string, target: string) {
    this.#file = file;
    this.#out = out;
    this.#temp = temp;
    this.#target = target;
  }

  static async open(dir: string, item: CopiedItem, warn: (message: string) => void): Promise<RedactedCopy> {
    let relative = normalize(item.relative).replace(/^(\.\.(\/|\\|$))+/, '').replace(/^[/\\]+/, '');
    if (relative === '' || relative === '.') relative = 'stdin';
    if (item.compression === 'zstd') {
      relative = relative.replace(/\.(zst|zstd)$/, '');
      warn(`redacted copy written decompressed as ${relative} (no zstd encoder available)`);
    }
    const target = join(dir, relative);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.leakguard-${process.pid}.tmp`;
    const file = createWriteStream(temp, { mode: 0o600 });
    let out: Writable = file;
    if (item.compression === 'gzip') {
      const gzip = createGzip();
      gzip.pipe(file);
      out = gzip;
    }
    return new RedactedCopy(file, out, temp, target);
  }

  /** Writes the chunk's owned bytes with the spans of `findings` (offsets in the item) redacted. */
  async write(chunk: Chunk, findings: readonly Finding[]): Promise<void> {
    const from = chunk.offset + chunk.ownedStart;
    const to = chunk.offset + chunk.ownedEnd;
    const redacted = this.#spans.redact(chunk.data, chunk.offset, from, to, spansOf(findings));
    // A stream may hold what it was given until it is written, and a source may reuse a chunk's memory
    // once its scan is done with it (Source.release): never hand the stream a view of the chunk.
    await writeBytes(this.#out, redacted.buffer === chunk.data.buffer ? Buffer.from(redacted) : redacted);
  }

  async close(): Promise<void> {
    this.#out.end();
    await finished(this.#file);
    await rename(this.#temp, this.#target);
  }

  /** Drops an unfinished copy (scan interrupted). */
  async abort(): Promise<void> {
    this.#out.destroy();
    this.#file.destroy();
    await unlink(this.#temp).catch(() => undefined);
  }
}
