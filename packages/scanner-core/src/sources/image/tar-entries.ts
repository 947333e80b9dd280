import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

/** What tar-stream's extract iterator yields: the member's header and its bytes. */
interface TarSourceEntry extends AsyncIterable<Buffer> {
  readonly header: tar.Header;
}

/** One tar member while the tar streams by. Its name is only a label: nothing is written to disk. */
export interface TarEntry {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  readonly size: number;
  readonly linkname?: string;
  /**
   * The member's bytes. Read at most once, before asking for the next entry; whatever is not read is
   * skipped (drained) when the iteration moves on, so a consumer may stop early.
   */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Streams the members of a tar with tar-stream. A truncated or corrupt tar makes the iteration throw
 * (the caller turns that into a warning naming its input); members already yielded stay valid.
 */
export async function* tarEntries(input: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const extract = tar.extract();
  const feeding = pipeline(Readable.from(input, { objectMode: false }), extract);
  let feedError: unknown;
  feeding.catch((error: unknown) => {
    feedError = error;
  });
  const iterator = (extract as unknown as AsyncIterable<TarSourceEntry>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<TarSourceEntry>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw feedError ?? error;
      }
      if (next.done === true) break;
      const entry = next.value;
      const header = entry.header;
      // tar-stream never feeds (nor ends) the stream of a directory whose header declares a size: reading
      // it would wait forever, so a crafted layer could hang the scan. A directory has no body.
      const body = header.type === 'directory' ? emptyBody() : drainingBody(entry);
      yield {
        name: header.name,
        type: typeOf(header.type),
        size: header.type === 'directory' ? 0 : (header.size ?? 0),
        ...(header.linkname === null || header.linkname === undefined ? {} : { linkname: header.linkname }),
        body: body.iterable,
      };
      await body.drain();
    }
    await feeding;
  } finally {
    // Stopping early (a consumer's break or an error) must not leave the input stream open.
    if (!extract.destroyed) extract.destroy();
    await feeding.catch(() => undefined);
  }
}

function emptyBody(): { iterable: AsyncIterable<Buffer>; drain(): Promise<void> } {
  return { iterable: (async function* (): AsyncGenerator<Buffer> {})(), drain: () => Promise.resolve() };
}

/**
 * Wraps an entry so that its unread rest can be drained. Destroying a tar-stream entry would destroy
 * the whole extraction, so an early stop reads on and discards instead.
 */
function drainingBody(entry: TarSourceEntry): { iterable: AsyncIterable<Buffer>; drain(): Promise<void> } {
  const iterator = entry[Symbol.asyncIterator]();
  let done = false;
  const iterable: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<Buffer>> {
        if (done) return { done: true, value: undefined };
        const result = await iterator.next();
        if (result.done === true) done = true;
        return result as IteratorResult<Buffer>;
      },
      // A consumer that stops early leaves the rest to drain(); the entry itself is never destroyed.
      return(): Promise<IteratorResult<Buffer>> {
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  };
  return {
    iterable,
    async drain() {
      while (!done) {
        const result = await iterator.next();
        if (result.done === true) done = true;
      }
    },
  };
}

function typeOf(type: tar.Header['type'] | null | undefined): TarEntry['type'] {
  switch (type) {
    case 'file':
    case 'contiguous-file':
    case null:
    case undefined:
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      return 'other';
  }
}

/** Reads a member whole; for small members (JSON files, small text files). */
export async function readBody(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts);
}
