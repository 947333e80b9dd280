import { CatFileParser, type CatFileEvent } from './cat-file-stream.js';
import { spawnGit, type GitStream } from './git-process.js';

/**
 * Reads single blobs on demand through one lazily started `git cat-file --batch` process (request, then
 * read the answer), for the few blobs a patch cannot show as text.
 */
export class BlobFetcher {
  readonly #repo: string;
  #process: GitStream | undefined;
  #events: AsyncIterator<CatFileEvent> | undefined;

  constructor(repo: string) {
    this.#repo = repo;
  }

  /** The blob's bytes, or undefined if git does not have it. */
  async fetch(oid: string): Promise<Buffer | undefined> {
    if (this.#process === undefined) {
      this.#process = spawnGit(this.#repo, ['cat-file', '--batch'], { stdin: true });
      this.#events = events(this.#process.stdout);
    }
    this.#process.stdin?.write(`${oid}\n`);
    const pieces: Buffer[] = [];
    for (let next = await this.#events?.next(); next !== undefined && next.done !== true; next = await this.#events?.next()) {
      const event = next.value;
      if (event.kind === 'object') return event.data;
      if (event.kind === 'object-data') pieces.push(event.data);
      else if (event.kind === 'object-end') return Buffer.concat(pieces);
      else if (event.kind === 'missing' || event.kind === 'malformed') return undefined;
    }
    return undefined;
  }

  close(): void {
    this.#process?.stdin?.end();
    this.#process?.kill();
    this.#process = undefined;
  }
}

async function* events(stdout: AsyncIterable<Buffer>): AsyncGenerator<CatFileEvent> {
  const parser = new CatFileParser({ maxWholeObject: 64 * 1024 * 1024 });
  for await (const piece of stdout) yield* parser.push(piece);
  yield* parser.end();
}
