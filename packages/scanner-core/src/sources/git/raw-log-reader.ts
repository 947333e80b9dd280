import { BlobIntroductions } from './blob-introductions.js';
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
  #meta: string | undefined;

  push(piece: Buffer): void {
    for (const token of this.#tokens.push(piece)) this.#token(token);
  }

  end(): void {
    for (const token of this.#tokens.end()) this.#token(token);
  }

  #token(raw: Buffer): void {
    if (this.#meta !== undefined) {
      this.index.addRawEntry(this.#meta, raw); // a path: taken verbatim, it may begin with any byte
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
    else if (token[0] === 0x3a /* : */) this.#meta = token.toString('latin1');
    // anything else (blank separators) carries no information
  }
}

export interface AttributionResult {
  readonly index: BlobIntroductions;
  /** Set when git stopped early (e.g. a missing tree): the index covers only the commits before that. */
  readonly problem?: string;
}

/** Runs the attribution log to completion. Never rejects: a failure is reported in `problem`. */
export function readAttribution(repo: string, revs: readonly string[]): { readonly result: Promise<AttributionResult>; readonly process: GitStream } {
  const process = spawnGit(repo, rawLogArgs(revs));
  const parser = new RawLogParser();
  const result = (async (): Promise<AttributionResult> => {
    try {
      for await (const piece of process.stdout as AsyncIterable<Buffer>) parser.push(piece);
      parser.end();
    } catch (error) {
      return { index: parser.index, problem: error instanceof Error ? error.message : String(error) };
    }
    const { code, stderr } = await process.exited;
    return code === 0 ? { index: parser.index } : { index: parser.index, problem: firstLine(stderr) };
  })();
  return { result, process };
}
