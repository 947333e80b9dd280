import { InputError } from '../../errors.js';
import { CatFileParser, type CatFileEvent } from './cat-file-stream.js';
import { decodeGitPath } from './git-path.js';
import { firstLine, spawnGit, type GitStream } from './git-process.js';
import { TokenSplitter } from './token-splitter.js';

/** What reading the reachable blobs produces, in rev-list order. */
export type BlobEvent =
  | { readonly kind: 'blob'; readonly oid: string; readonly path: string; readonly data: Buffer }
  | { readonly kind: 'blob-start'; readonly oid: string; readonly path: string; readonly size: number }
  | { readonly kind: 'blob-data'; readonly data: Buffer }
  | { readonly kind: 'blob-end' }
  | { readonly kind: 'missing'; readonly oid: string; readonly path: string }
  | { readonly kind: 'problem'; readonly message: string };

export interface ReachableBlobsOptions {
  /** Blobs up to this size arrive whole; larger ones stream (start/data/end). */
  readonly maxWholeObject?: number;
  readonly signal?: AbortSignal;
  /** Blobs to read (`--shard`): the others are never requested from git. */
  readonly include?: (oid: string) => boolean;
}

/** Paths waiting for cat-file's answers, in request order (cat-file answers in order). */
class PathQueue {
  #items: { oid: string; path: string }[] = [];
  #head = 0;

  push(oid: string, path: string): void {
    this.#items.push({ oid, path });
  }

  shift(): { oid: string; path: string } | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/**
 * Every blob reachable from `revs`, each exactly once: `git rev-list --objects` (blobs only; it never prints
 * an object twice) is piped, id by id, into one long-lived `git cat-file --batch` whose output is parsed as a
 * byte stream. Missing objects (rev-list `?oid`, cat-file `missing`) are events, not errors; a failing
 * rev-list or cat-file is an InputError naming the repository.
 */
export async function* reachableBlobs(repo: string, label: string, revs: readonly string[], options: ReachableBlobsOptions = {}): AsyncGenerator<BlobEvent> {
  const revList = spawnGit(repo, ['rev-list', '--objects', '--filter=object:type=blob', '--missing=print', '--topo-order', ...revs, '--']);
  const catFile = spawnGit(repo, ['cat-file', '--batch', '--buffer'], { stdin: true });
  const queue = new PathQueue();
  const early: BlobEvent[] = [];
  const feeding = feed(revList, catFile, queue, early, options.include ?? (() => true));
  feeding.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
  const parser = new CatFileParser(options.maxWholeObject === undefined ? {} : { maxWholeObject: options.maxWholeObject });
  let finished = false;
  try {
    const toBlobEvent = (event: CatFileEvent): BlobEvent | undefined => blobEvent(event, queue);
    for await (const piece of catFile.stdout as AsyncIterable<Buffer>) {
      if (early.length > 0) yield* early.splice(0);
      for (const event of parser.push(piece)) {
        const out = toBlobEvent(event);
        if (out !== undefined) yield out;
      }
      if (options.signal?.aborted === true) return;
    }
    for (const event of parser.end()) {
      const out = toBlobEvent(event);
      if (out !== undefined) yield out;
    }
    await feeding;
    yield* early.splice(0);
    const [listed, read] = await Promise.all([revList.exited, catFile.exited]);
    if (listed.code !== 0) throw new InputError(`${label}: git rev-list failed: ${firstLine(listed.stderr)}`);
    if (read.code !== 0) throw new InputError(`${label}: git cat-file failed: ${firstLine(read.stderr)}`);
    finished = true;
  } finally {
    if (!finished) {
      revList.kill();
      catFile.kill();
    }
  }
}

function blobEvent(event: CatFileEvent, queue: PathQueue): BlobEvent | undefined {
  switch (event.kind) {
    case 'object': {
      const { path } = expect(queue, event.oid);
      return event.type === 'blob' ? { kind: 'blob', oid: event.oid, path, data: event.data } : undefined;
    }
    case 'object-start': {
      const { path } = expect(queue, event.oid);
      return { kind: 'blob-start', oid: event.oid, path, size: event.size };
    }
    case 'object-data':
      return { kind: 'blob-data', data: event.data };
    case 'object-end':
      return { kind: 'blob-end' };
    case 'missing': {
      const { path } = expect(queue, event.name);
      return { kind: 'missing', oid: event.name, path };
    }
    case 'malformed':
      return { kind: 'problem', message: `unexpected git cat-file output: ${event.message}` };
    default:
      return event satisfies never;
  }
}

/** The queued request an answer belongs to; an answer out of order loses only its path. */
function expect(queue: PathQueue, oid: string): { path: string } {
  const item = queue.shift();
  return item !== undefined && item.oid === oid ? item : { path: '' };
}

/** Pipes rev-list's blob ids into cat-file's stdin (respecting back-pressure), queueing their paths. */
async function feed(revList: GitStream, catFile: GitStream, queue: PathQueue, early: BlobEvent[], include: (oid: string) => boolean): Promise<void> {
  const stdin = catFile.stdin;
  if (stdin === null) return;
  const lines = new TokenSplitter(10);
  let batch = '';
  const flush = async (): Promise<void> => {
    if (batch === '') return;
    const ok = stdin.write(batch);
    batch = '';
    // Whichever fires first removes the other: a 'close' listener left behind per wait piles up.
    if (!ok) await new Promise<void>((resolve) => {
      const done = (): void => {
        stdin.off('drain', done);
        stdin.off('close', done);
        resolve();
      };
      stdin.once('drain', done);
      stdin.once('close', done);
    });
  };
  const onLine = (line: Buffer): void => {
    if (line[0] === 0x3f /* ? */) {
      const oid = line.toString('latin1', 1).trim();
      if (include(oid)) early.push({ kind: 'missing', oid, path: '' });
      return;
    }
    const space = line.indexOf(0x20);
    if (space === -1) return; // a commit
    const oid = line.toString('latin1', 0, space);
    if (!include(oid)) return;
    queue.push(oid, decodeGitPath(line.subarray(space + 1)));
    batch += `${oid}\n`;
  };
  try {
    for await (const piece of revList.stdout as AsyncIterable<Buffer>) {
      for (const line of lines.push(piece)) onLine(line);
      if (batch.length >= 64 * 1024) await flush();
    }
    for (const line of lines.end()) onLine(line);
    await flush();
  } finally {
    stdin.end();
  }
}
