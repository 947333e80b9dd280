import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Chunk } from '../../chunk.js';
import type { Origin } from '../../origin.js';
import { ByteRing } from '../byte-ring.js';
import type { Source, SourceContext } from '../source.js';
import { windowedChunks, type WindowOptions } from '../windowing.js';
import { DEFAULT_DECODE_LIMITS, decodeStream, detectCompression, type DecodeLimits } from './decompress.js';
import { lineHeadAt, nextLineHead, type LineHead, type LogChunk, type LogItem } from './log-chunk.js';
import { expandLogInputs, type LogInput } from './log-inputs.js';
import { LogProgressTracker } from './log-progress.js';
import { readAt, resumeDecoded, resumePlain, type ResumePoint } from './log-resume.js';
import { hashBytes, HEAD_BYTES, type FileStat, type LogState } from './log-state.js';

/**
 * Memory budget per item: the window being filled, the window being scanned and the one held to learn
 * the next window's line head (3 × windowSize), plus one unescaped copy of the scanned window's JSON
 * lines (≤ windowSize) and the 256 KiB read/inflate buffers: about 5 MiB at the defaults. Bigger windows
 * were measured to buy no speed (the engine's per-byte cost dominates) and cost RSS.
 */
export const LOG_WINDOW: WindowOptions = { windowSize: 1024 * 1024, overlap: 64 * 1024 };

export interface LogSourceOptions {
  /** Inputs are resolved against and reported relative to this directory. */
  readonly cwd: string;
  /** Read for `-`. */
  readonly stdin?: Readable;
  readonly state?: LogState;
  readonly limits?: DecodeLimits;
  readonly window?: WindowOptions;
  /** Plain files larger than this are skipped with a warning. */
  readonly maxFileSize?: number;
}

const READ_CHUNK = 256 * 1024;

/**
 * Log files, directories, globs and stdin, plain or gzip/zstd (by magic bytes), streamed through
 * overlapping windows so memory stays fixed whatever the file size or line length. Lines and offsets are
 * those of the decoded text. With a state, each file resumes where the previous run stopped.
 */
export class LogSource implements Source {
  readonly id: string;
  readonly #inputs: readonly string[];
  readonly #options: LogSourceOptions;
  /** Windows' bytes, lent to their chunks until `release` (see ByteRing). */
  readonly #ring = new ByteRing(RING_BYTES);
  /** Bytes on disk of the files to read (undefined with a stream among them), of the files done, of the one being read. */
  #total: number | undefined;
  #done = 0;
  #at = 0;
  #size = 0;

  constructor(inputs: readonly string[], options: LogSourceOptions) {
    this.#inputs = inputs;
    this.#options = options;
    this.id = `logs:${inputs.join(',')}`;
  }

  /** Each window is lent whole, so its bytes are exactly what the ring lent. */
  release(chunk: Chunk): void {
    this.#ring.give(chunk.data);
  }

  async *chunks(context: SourceContext): AsyncGenerator<LogChunk> {
    const inputs = await expandLogInputs(this.#inputs, { cwd: this.#options.cwd, skip: (d, r) => context.skip(d, r), warn: (i, m) => context.warn(i, m) });
    const mine = inputs.filter((input) => context.inShard(input.display));
    // Known once every file is stat'ed, meanwhile the first is read; until then there is no share to report.
    void totalSize(mine).then((total) => (this.#total = total));
    for (const input of mine) {
      if (context.signal.aborted) return;
      this.#at = 0;
      this.#size = 0;
      yield* input.kind === 'stream' ? this.#stream(input, context) : this.#file(input, context);
      this.#done += Math.max(this.#at, this.#size); // a file skipped or cut short counts as passed
    }
  }

  /** Standard input, or a pipe or device named by path: read once, in order (no resume, no rotation check). */
  async *#stream(input: LogInput & { kind: 'stream' }, context: SourceContext): AsyncGenerator<LogChunk> {
    const stream = input.path === undefined ? this.#options.stdin : createReadStream(input.path, { highWaterMark: 1024 * 1024 });
    if (stream === undefined) return;
    const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let first: IteratorResult<Buffer>;
    try {
      first = await iterator.next();
    } catch (error) {
      context.warn(input.display, cannotRead(error));
      return;
    }
    const head: Buffer = first.done === true ? Buffer.alloc(0) : first.value;
    const compression = detectCompression(head);
    async function* all(): AsyncGenerator<Buffer> {
      if (first.done === true) return;
      yield first.value;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
    }
    const item: LogItem = { display: input.display, relative: input.relative, ...(compression === undefined ? {} : { compression }) };
    const pieces = decodeStream(all(), compression, (m) => context.warn(input.display, m), this.#limits());
    const tracker = new LogProgressTracker({ offset: 0, line: 1 }, false); // a stream leaves no record
    yield* this.#windows(tracker.track(pieces), item, tracker, 0, context);
  }

  async *#file(input: LogInput & { kind: 'file' }, context: SourceContext): AsyncGenerator<LogChunk> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(input.path, 'r');
      const info = await handle.stat();
      this.#size = info.size;
      const file: FileStat = { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
      const compression = detectCompression(await readAt(handle, 0, 4));
      const item: LogItem = { display: input.display, file: input.path, relative: input.relative, ...(compression === undefined ? {} : { compression }) };
      const max = this.#options.maxFileSize;
      if (max !== undefined && info.size > max) {
        context.warn(input.display, `larger than --max-file-size (${info.size} > ${max} bytes); not scanned`);
        return;
      }
      const state = this.#options.state;
      const unchanged = compression === undefined ? undefined : state?.unchangedArchive(file);
      if (unchanged !== undefined) {
        state?.touch({ ...unchanged, path: input.display });
        context.skip(input.display, 'unchanged since the last run');
        return;
      }
      let damaged = false;
      const warn = (message: string): void => {
        damaged = true;
        context.warn(input.display, message);
      };
      const opened = handle;
      // Positional reads on the handle opened first, so a rotation during the run cannot swap the file.
      const read = (start = 0): AsyncIterable<Buffer> => readFrom(opened, start, (position) => (this.#at = Math.max(this.#at, position)));
      let pieces: AsyncIterable<Buffer>;
      let head: Buffer;
      let resume: ResumePoint | undefined;
      if (compression === undefined) {
        head = await readAt(handle, 0, Math.min(HEAD_BYTES, info.size));
        resume = state === undefined ? undefined : await resumePlain(handle, file, head, state);
        pieces = read(resume?.record.offset ?? 0);
      } else {
        const decode = (): AsyncIterable<Buffer> => decodeStream(read(), compression, warn, this.#limits(), () => read());
        ({ pieces, head, resume } = await resumeDecoded(decode, state));
      }
      const start = resume === undefined ? { offset: 0, line: 1 } : { offset: resume.record.offset, line: resume.record.line, tail: resume.tail, head };
      const tracker = new LogProgressTracker(start, state !== undefined);
      const scanned = yield* this.#windows(tracker.track(pieces), item, tracker, resume?.record.size ?? 0, context);
      if (state !== undefined && scanned && !context.signal.aborted) {
        state.record(
          {
            path: input.display,
            file,
            ...(compression === undefined ? {} : { compression }),
            complete: !damaged,
            headHash: hashBytes(tracker.head),
            headLength: tracker.head.length,
            offset: tracker.lineStart,
            line: tracker.line,
            size: tracker.position,
            tailHash: hashBytes(tracker.tail),
            tailLength: tracker.tail.length,
          },
          resume?.record,
        );
      }
    } catch (error) {
      context.warn(input.display, cannotRead(error));
    } finally {
      await handle?.close();
    }
  }

  /**
   * Cuts decoded pieces into windows, holding one back so the last can be marked `final` and the next
   * window's line head can be read from the previous one. A mostly-binary item (wtmp, sparse lastlog) is
   * skipped; text with some binary garbage in it is scanned.
   */
  async *#windows(
    pieces: AsyncIterable<Buffer>,
    item: LogItem,
    tracker: LogProgressTracker,
    reportedTo: number,
    context: SourceContext,
  ): AsyncGenerator<LogChunk, boolean> {
    const origin: Origin = { kind: 'log', path: item.display, ...(item.compression === undefined ? {} : { compression: item.compression }) };
    const base = { offset: tracker.position, line: tracker.line };
    let held: LogChunk | undefined;
    let head: LineHead = { json: false };
    for await (const c of windowedChunks(pieces, origin, this.#options.window ?? LOG_WINDOW, this.#ring)) {
      if (held === undefined) {
        if (base.offset === 0 && mostlyBinary(c.data)) {
          context.skip(item.display, 'binary');
          this.#ring.give(c.data);
          return false;
        }
        head = lineHeadAt(c.data, 0);
      } else {
        head = nextLineHead(held, head, c.offset + base.offset);
        yield held;
      }
      held = { ...c, offset: c.offset + base.offset, line: c.line + base.line - 1, item, head, reportedTo, final: false };
      if (this.#total !== undefined) context.through?.(this.#done + this.#at, this.#total);
      if (context.signal.aborted) return false;
    }
    const empty = Buffer.alloc(0);
    yield held === undefined
      ? { data: empty, origin, offset: base.offset, line: base.line, column: 1, ownedStart: 0, ownedEnd: 0, item, head, reportedTo, final: true }
      : { ...held, final: true };
    context.scanned(tracker.position - base.offset);
    return true;
  }

  #limits(): DecodeLimits {
    return this.#options.limits ?? DEFAULT_DECODE_LIMITS;
  }
}

/** Room for the windows in flight (scanLogs keeps up to 16 MB) and the one held back and the one filling. */
const RING_BYTES = 24 * 1024 * 1024;

async function* readFrom(handle: FileHandle, start: number, reached: (position: number) => void): AsyncGenerator<Buffer> {
  for (let position = start; ; ) {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    reached(position);
    yield buffer.subarray(0, bytesRead);
  }
}

/** The files' sizes on disk, or undefined when a stream (stdin, a pipe) makes the total unknowable. */
async function totalSize(inputs: readonly LogInput[]): Promise<number | undefined> {
  let total = 0;
  for (const input of inputs) {
    if (input.kind === 'stream') return undefined;
    total += await stat(input.path).then((s) => s.size, () => 0);
  }
  return total;
}

/** At least 30% NUL or C0 control bytes (other than tab, CR, LF, ESC) in the first 8000: a binary file, not a log. */
function mostlyBinary(data: Buffer): boolean {
  const n = Math.min(data.length, 8000);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = data[i] ?? 0;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b) control++;
  }
  return n > 0 && control / n >= 0.3;
}

/** The warning for an input that failed to read: the system error code, else the message. */
function cannotRead(error: unknown): string {
  return `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
}
