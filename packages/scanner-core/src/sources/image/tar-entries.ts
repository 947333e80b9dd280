import { cString, decodePax, decodeTarHeader, isLongHeader, MAX_LONG_HEADER, memberKind, paddingAfter, TAR_BLOCK, withLongNames } from './tar-header.js';
import { PieceReader } from './piece-reader.js';

/** One tar member while the tar streams by. Its name is only a label: nothing is written to disk. */
export interface TarEntry {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  readonly size: number;
  readonly linkname?: string;
  /**
   * The member's bytes. Read at most once, before asking for the next entry; whatever is not read is
   * skipped when the iteration moves on, so a consumer may stop early.
   */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Streams the members of a tar (ustar, pax and GNU long names, read as tar-stream's extract reads them). A
 * member's body is the input's own bytes (pieces of the pieces it arrives in, never copied). tar-stream's extract,
 * with a stream per member behind async iterators, took the bench image's scan 3.03 s of CPU where this takes
 * 2.63 s (7,569 members, 707 MB; 2.12 → 1.86 s wall). Blocks of zeros are passed over, as the end-of-archive
 * marker and whatever padding follows it. A truncated or corrupt tar makes the iteration throw an Error with a
 * one-line message (the caller turns that into a warning naming its input); members already yielded stay valid.
 */
export async function* tarEntries(input: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const reader = new PieceReader(input);
  let longPath: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> | undefined;
  let paxGlobal: Record<string, string> | undefined;
  try {
    for (;;) {
      const block = await reader.exactly(TAR_BLOCK);
      if (block === undefined) return;
      if (block.length < TAR_BLOCK) throw truncated();
      const header = decodeTarHeader(block);
      if (header === null) continue;
      if (isLongHeader(header.type)) {
        if (!(header.size >= 0 && header.size <= MAX_LONG_HEADER)) throw new Error(`tar header data too large (${header.size} bytes)`);
        const data = (await reader.exactly(header.size)) ?? Buffer.alloc(0);
        if (data.length < header.size || !(await reader.skip(paddingAfter(header.size)))) throw truncated();
        if (header.type === 'gnu-long-path') longPath = cString(data);
        else if (header.type === 'gnu-long-link-path') longLink = cString(data);
        else if (header.type === 'pax-global-header') paxGlobal = decodePax(data);
        else pax = { ...paxGlobal, ...decodePax(data) };
        continue;
      }
      const member = withLongNames(header, longPath, longLink, pax);
      longPath = undefined;
      longLink = undefined;
      pax = undefined;
      if (!(member.size >= 0)) throw new Error('invalid tar header (unreadable size)');
      // A directory has no data, whatever size its header declares.
      const size = member.type === 'directory' ? 0 : member.size;
      const body = new MemberBody(reader, size);
      yield {
        name: member.name,
        type: memberKind(member.type),
        size,
        ...(member.linkname === undefined ? {} : { linkname: member.linkname }),
        body,
      };
      if (!(await body.finish())) throw truncated();
    }
  } finally {
    // Stopping early (a consumer's break or an error) must not leave the input stream open.
    await reader.close();
  }
}

/** Reads a member whole; for small members (JSON files, small text files). */
export async function readBody(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts);
}

/** A member's bytes, straight from the reader; what is left unread, and the padding, is skipped by finish(). */
class MemberBody implements AsyncIterable<Buffer> {
  readonly #reader: PieceReader;
  readonly #size: number;
  #left: number;
  #finished = false;

  constructor(reader: PieceReader, size: number) {
    this.#reader = reader;
    this.#size = size;
    this.#left = size;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: async (): Promise<IteratorResult<Buffer>> => {
        if (this.#finished || this.#left === 0) return { done: true, value: undefined };
        const piece = await this.#reader.upTo(this.#left);
        if (piece === undefined) throw truncated();
        this.#left -= piece.length;
        return { done: false, value: piece };
      },
      // A consumer that stops early leaves the rest to finish().
      return: (): Promise<IteratorResult<Buffer>> => Promise.resolve({ done: true, value: undefined }),
    };
  }

  /** Skips to the next header (reading the body after this ends it); false when the input ended first. */
  finish(): Promise<boolean> {
    this.#finished = true;
    return this.#reader.skip(this.#left + paddingAfter(this.#size));
  }
}

function truncated(): Error {
  return new Error('Unexpected end of data');
}
