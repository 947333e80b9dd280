import type { Chunk } from '../chunk.js';
import { wholeChunk } from '../chunk.js';
import type { Origin } from '../origin.js';
import { sniffContent, utf16ToUtf8 } from './content-sniff.js';
import type { SourceContext } from './source.js';
import { DEFAULT_WINDOW, windowedChunks, type WindowOptions } from './windowing.js';

/**
 * Turns one item's bytes into chunks the same way for every source: sniff binary vs text (UTF-16 is
 * transcoded, not skipped), then one chunk if it fits a window, else overlapping windows.
 */
export async function* bufferChunks(data: Buffer, origin: Origin, context: SourceContext, facts?: (data: Buffer) => Partial<Chunk>): AsyncGenerator<Chunk> {
  const kind = sniffContent(data.subarray(0, 8000));
  if (kind === 'binary') {
    context.skip(origin.path, 'binary');
    return;
  }
  const text = kind === 'text' ? data : utf16ToUtf8(data, kind);
  const skip = bomLength(text);
  const body = text.subarray(skip);
  if (body.length <= DEFAULT_WINDOW.windowSize) {
    // `facts` describe the item's raw bytes, so they apply only when the chunk is exactly those bytes.
    const extra = facts !== undefined && kind === 'text' && skip === 0 ? facts(data) : {};
    yield { ...wholeChunk(body, origin), offset: skip, ...extra };
  } else yield* shifted(windowedChunks([body], origin), skip);
  context.scanned(data.length);
}

/**
 * Streams one large item: the first piece decides binary vs text; text flows through overlapping windows
 * so memory stays at one window whatever the item's size.
 */
export async function* streamChunks(
  stream: AsyncIterable<Buffer>,
  origin: Origin,
  context: SourceContext,
  options: WindowOptions = DEFAULT_WINDOW,
): AsyncGenerator<Chunk> {
  const iterator = stream[Symbol.asyncIterator]();
  // The sniff needs the same head bufferChunks sees: a stream may deliver its first bytes one at a time
  // (a pipe, a tar member at a block boundary), and one byte cannot tell UTF-16 or binary from text.
  const headParts: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < SNIFF_HEAD) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    headParts.push(next.value);
    headLength += next.value.length;
  }
  if (headLength === 0) {
    context.scanned(0);
    return;
  }
  const head = headParts.length === 1 ? (headParts[0] ?? Buffer.alloc(0)) : Buffer.concat(headParts);
  const kind = sniffContent(head);
  if (kind === 'binary') {
    context.skip(origin.path, 'binary');
    if (!ended) await iterator.return?.();
    return;
  }
  let bytes = 0;
  const skip = kind === 'text' ? bomLength(head) : 0;
  async function* rest(): AsyncGenerator<Buffer> {
    bytes += head.length;
    yield head.subarray(skip);
    if (ended) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      bytes += next.value.length;
      yield next.value;
    }
  }
  const pieces = kind === 'text' ? rest() : utf16Stream(rest(), kind);
  yield* shifted(windowedChunks(pieces, origin, options), skip);
  context.scanned(bytes);
}

/** Bytes the binary/UTF-16 sniff looks at (git's 8000). */
const SNIFF_HEAD = 8000;

/**
 * A UTF-8 byte order mark is not text: the engine never sees it, so a secret right after it is at
 * column 1; byte offsets still count it (they are offsets in the file).
 */
function bomLength(data: Uint8Array): number {
  return data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
}

async function* shifted(chunks: AsyncIterable<Chunk>, by: number): AsyncGenerator<Chunk> {
  for await (const chunk of chunks) yield by === 0 ? chunk : { ...chunk, offset: chunk.offset + by };
}

/** Transcodes a UTF-16 stream to UTF-8 piece by piece, carrying an odd trailing byte over. */
async function* utf16Stream(pieces: AsyncIterable<Buffer>, kind: 'utf16le' | 'utf16be'): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const piece of pieces) {
    const joined = carry.length > 0 ? Buffer.concat([carry, piece]) : piece;
    const even = joined.length - (joined.length % 2);
    carry = Buffer.from(joined.subarray(even));
    yield utf16ToUtf8(joined.subarray(0, even), kind);
  }
}
