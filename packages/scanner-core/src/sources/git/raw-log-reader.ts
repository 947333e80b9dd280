import { BlobIntroductions, type BlobRef } from './blob-introductions.js';
import { firstLine, spawnGit, type GitStream } from './git-process.js';
import { TokenSplitter } from './token-splitter.js';

/** Marks a commit header in the log stream; raw entries start with ':' and paths follow a NUL. */
const COMMIT_MARK = 0x01;
export const RAW_LOG_FORMAT = '--format=%x01%H%x00%an%x00%ae%x00%aI';

/** `git log` arguments for attribution: raw diffs only (no patch text), merges vs all parents, NUL-separated. */
export function rawLogArgs(revs: readonly string[]): string[] {
  return ['log', '--raw', '--no-abbrev', '-z', '-c', '--root', '--no-renames', '--topo-order', '--no-ext-diff', RAW_LOG_FORMAT, ...revs, '--'];
}

/**
 * Feeds a `git log --raw -z` stream into the index: a commit header token is followed by author name,
 * email and date tokens; then each raw entry is a `:meta` token and a path token.
 */
export class RawLogParser {
  readonly index: BlobIntroductions = new BlobIntroductions();
  readonly #tokens = new TokenSplitter(0);
  #header: string[] | undefined;
  #meta: Buffer | undefined;

  /** Parses a piece of the stream; returns the blobs it shows for the first time, in log order. */
  push(piece: Buffer): BlobRef[] {
    const firstSeen: BlobRef[] = [];
    for (const token of this.#tokens.push(piece)) this.#token(token, firstSeen);
    return firstSeen;
  }

  end(): BlobRef[] {
    const firstSeen: BlobRef[] = [];
    for (const token of this.#tokens.end()) this.#token(token, firstSeen);
    return firstSeen;
  }

  #token(raw: Buffer, firstSeen: BlobRef[]): void {
    if (this.#meta !== undefined) {
      const first = this.index.addRawEntry(this.#meta, raw); // a path: taken verbatim, it may begin with any byte
      if (first !== undefined) firstSeen.push(first);
      this.#meta = undefined;
      return;
    }
    const token = raw[0] === 10 ? raw.subarray(1) : raw; // entries follow the header after a newline
    if (this.#header !== undefined) {
      this.#header.push(token.toString('utf8'));
      if (this.#header.length === 4) {
        const [commit = '', author = '', email = '', date = ''] = this.#header;
        this.index.addCommit({ commit, author, email, date });
        this.#header = undefined;
      }
      return;
    }
    if (token[0] === COMMIT_MARK) this.#header = [token.toString('latin1', 1)];
    else if (token[0] === 0x3a /* : */) this.#meta = token;
    // anything else (blank separators) carries no information
  }
}

export interface AttributionResult {
  readonly index: BlobIntroductions;
  /** Set when git stopped early (e.g. a missing tree): the index covers only the commits before that. */
  readonly problem?: string;
  /** git could not walk the history at all (a missing commit fails the walk's setup): an input error. */
  readonly failedAtStart?: boolean;
}

/** Where the log's blobs go as they are found (the blob reader). It must not hold the log back. */
export interface BlobSink {
  write(blobs: readonly BlobRef[]): void;
  end(): void;
}

/**
 * Runs the attribution log to completion, handing each blob to `sink` the first time the log shows it: every
 * blob of the history is the new side of some raw entry (a root commit lists its whole tree, a merge
 * (`-c`) the paths that differ from every parent, so any other blob came from a parent), so the log alone
 * names each blob to read, once, with a path, and no `rev-list --objects` walk of every tree is needed.
 * Never rejects: a failure is reported in `problem`. The sink is left open (the caller may add blobs).
 */
export function readAttribution(repo: string, revs: readonly string[], sink: BlobSink): { readonly result: Promise<AttributionResult>; readonly process: GitStream } {
  const process = spawnGit(repo, rawLogArgs(revs));
  const parser = new RawLogParser();
  const result = (async (): Promise<AttributionResult> => {
    try {
      for await (const piece of process.stdout as AsyncIterable<Buffer>) sink.write(parser.push(piece));
      sink.write(parser.end());
    } catch (error) {
      return { index: parser.index, problem: error instanceof Error ? error.message : String(error) };
    }
    const { code, stderr } = await process.exited;
    if (code === 0) return { index: parser.index };
    // A missing commit fails the walk before any output; a missing tree stops it where that tree is needed.
    const failedAtStart = parser.index.commitCount === 0 && !/unable to read tree/.test(stderr);
    return { index: parser.index, problem: firstLine(stderr), ...(failedAtStart ? { failedAtStart } : {}) };
  })();
  return { result, process };
}
