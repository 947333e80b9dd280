import type { FileHandle } from 'node:fs/promises';
import { hashBytes, HEAD_BYTES, type FileStat, type LogState, type LogStateRecord } from './log-state.js';

/** Where an incremental run picks a file up: the record it continues and the bytes just before that point. */
export interface ResumePoint {
  readonly record: LogStateRecord;
  readonly tail: Buffer;
}

/** Reads `length` bytes at `position` of an open file. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** For a plain file: the best recorded progress whose head and tail bytes are still in place (read with pread). */
export async function resumePlain(handle: FileHandle, file: FileStat, head: Buffer, state: LogState): Promise<ResumePoint | undefined> {
  for (const record of state.candidates(head, file)) {
    if (record.offset > file.size || record.tailLength > record.offset) continue; // truncated since
    const tail = await readAt(handle, record.offset - record.tailLength, record.tailLength);
    if (tail.length === record.tailLength && hashBytes(tail) === record.tailHash) return { record, tail };
  }
  return undefined;
}

/** A decoded stream, maybe resumed partway, with its first KB (for the state) known up front. */
export interface ResumedStream {
  readonly pieces: AsyncIterable<Buffer>;
  readonly head: Buffer;
  readonly resume?: ResumePoint;
}

/**
 * For a compressed file (which cannot seek): decodes the head, picks the recorded progress it matches,
 * then decodes and drops bytes up to the resume point, checking the tail hash there. If the content turns
 * out to differ, decoding starts over from the beginning and the whole file is scanned.
 */
export async function resumeDecoded(decode: () => AsyncIterable<Buffer>, state: LogState | undefined): Promise<ResumedStream> {
  const iterator = decode()[Symbol.asyncIterator]();
  const buffered: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    buffered.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(buffered).subarray(0, HEAD_BYTES);
  const record = state?.candidates(head, undefined)[0];
  if (record === undefined || record.offset === 0) return { pieces: replay(buffered, done ? undefined : iterator), head };

  // Skip to record.offset keeping the bytes just before it; `queue` holds what follows.
  let position = 0;
  let tail: Buffer = Buffer.alloc(0);
  const queue: Buffer[] = [];
  const take = (piece: Buffer): void => {
    const end = position + piece.length;
    if (end <= record.offset) tail = keepLast(tail, piece, record.tailLength);
    else if (position >= record.offset) queue.push(piece);
    else {
      tail = keepLast(tail, piece.subarray(0, record.offset - position), record.tailLength);
      queue.push(piece.subarray(record.offset - position));
    }
    position = end;
  };
  buffered.forEach(take);
  while (!done && position < record.offset) {
    const next = await iterator.next();
    if (next.done === true) done = true;
    else take(next.value);
  }
  if (position >= record.offset && tail.length === record.tailLength && hashBytes(tail) === record.tailHash) {
    return { pieces: replay(queue, done ? undefined : iterator), head, resume: { record, tail } };
  }
  await iterator.return?.();
  return { pieces: decode(), head };
}

async function* replay(first: readonly Buffer[], rest: AsyncIterator<Buffer> | undefined): AsyncGenerator<Buffer> {
  try {
    for (const piece of first) yield piece;
    if (rest === undefined) return;
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
  } finally {
    await rest?.return?.();
  }
}

function keepLast(before: Buffer, piece: Buffer, length: number): Buffer {
  if (piece.length >= length) return Buffer.from(piece.subarray(piece.length - length));
  const joined = Buffer.concat([before, piece]);
  return joined.subarray(Math.max(0, joined.length - length));
}
