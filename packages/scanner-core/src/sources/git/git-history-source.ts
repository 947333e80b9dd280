import type { Chunk } from '../../chunk.js';
import { InputError } from '../../errors.js';
import type { Origin } from '../../origin.js';
import { ChunkLoans } from '../byte-ring.js';
import { bufferChunks, streamChunks } from '../read-item.js';
import type { Source, SourceContext } from '../source.js';
import { DEFAULT_WINDOW } from '../windowing.js';
import { DeltaBases } from './delta-bases.js';
import { openRepository, resolveCommit } from './git-repository.js';
import { HistoryBlobs, type BlobEvent } from './history-blobs.js';
import { readAttribution, type AttributionResult } from './raw-log-reader.js';
import { taggedBlobs, walkedBlobs } from './unlogged-blobs.js';

export interface GitHistoryOptions {
  /** Scan commits reachable from this ref only (default: every ref, as `--all`). */
  readonly branch?: string;
  /** Skip what is reachable from this commit: scan only what came after it. */
  readonly sinceCommit?: string;
  /** Only the newest N commits (topological order). */
  readonly maxCommits?: number;
  /** Blobs larger than this are not scanned (a warning says so). */
  readonly maxFileSize?: number;
}

type GitBlobOrigin = Extract<Origin, { kind: 'git-blob' }>;

/**
 * Full history: every blob the chosen commits introduced is scanned exactly once. One `git log --raw`
 * builds the blob → introducing commits index and, as it goes, requests each blob it sees for the first
 * time from one `git cat-file --batch` process. Each chunk's origin names the blob and the newest path
 * it was committed at; `locate()` then maps a finding in that blob to every (commit, path) that
 * introduced it, so one scan of a blob committed in fifty places yields fifty located findings.
 * With `--max-commits N` that is what those N commits changed (not every file of the oldest one's tree).
 * With every ref, blobs that only a tag holds (a tag of a blob or a tree) are requested after the log; when
 * the log stopped early (a missing tree), so are the reachable blobs it never named.
 */
export class GitHistorySource implements Source {
  readonly id: string;
  readonly #repo: string;
  readonly #label: string;
  readonly #options: GitHistoryOptions;
  #attribution: Promise<AttributionResult> | undefined;
  #context: SourceContext | undefined;
  #reportedProblem = false;
  readonly #deltas = new DeltaBases();
  /** Whole blobs' bytes, lent to their chunks until `release` (see ByteRing). */
  readonly #loans = new ChunkLoans(RING_BYTES);

  constructor(repo: string, options: GitHistoryOptions = {}, label: string = repo) {
    this.#repo = repo;
    this.#label = label;
    this.#options = options;
    this.id = `git:${label}`;
  }

  async *chunks(context: SourceContext): AsyncGenerator<Chunk> {
    this.#context = context;
    await openRepository(this.#repo, this.#label);
    const revs = await this.#revisions();
    const blobs = new HistoryBlobs(this.#repo, this.#label, {
      maxWholeObject: DEFAULT_WINDOW.windowSize,
      signal: context.signal,
      include: (oid) => context.inShard(oid),
      memory: this.#loans.ring,
    });
    const attribution = readAttribution(this.#repo, revs, blobs.sink);
    this.#attribution = attribution.result;
    let logged = false; // the log has named every blob it will (blobs only a tag holds may follow)
    attribution.result.then(() => (logged = true), () => undefined);
    const requesting = (async (): Promise<void> => {
      try {
        const { index, problem, failedAtStart } = await attribution.result;
        if (failedAtStart === true) throw new InputError(`${this.#label}: git log failed: ${problem ?? ''}`);
        const known = (oid: string): boolean => index.has(oid);
        if (problem !== undefined) blobs.sink.write(await walkedBlobs(this.#repo, revs, known, context.signal));
        if (revs[0] === '--all') blobs.sink.write(await taggedBlobs(this.#repo, known, context.signal));
      } finally {
        blobs.sink.end();
      }
    })();
    requesting.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
    let complete = false;
    const events = blobs.events()[Symbol.asyncIterator]();
    try {
      for (let next = await events.next(); next.done !== true; next = await events.next()) {
        // Once the log has named the blobs, the share answered is the share of the history read.
        const { answered, requested } = blobs.progress;
        if (logged) context.through?.(answered, requested);
        yield* this.#blobChunks(next.value, events, context);
        if (context.signal.aborted) return;
      }
      await requesting;
      const { answered, requested } = blobs.progress;
      context.through?.(answered, requested);
      complete = true;
    } finally {
      if (!complete) {
        attribution.process.kill();
        blobs.sink.end();
        // Ends cat-file too (events() kills it unless it finished): blocked writing answers nobody reads, it
        // would keep this process alive after an abandoned scan (a report's reader gone: `| head`).
        await events.return?.(undefined);
      }
      await requesting.catch(() => undefined);
      const result = await attribution.result;
      // A log that failed (a missing tree) cannot attribute the blobs below that point: always say so.
      if (complete) this.#reportProblem(result);
    }
  }

  release(chunk: Chunk): void {
    this.#loans.release(chunk);
  }

  /** Every place the chunk's blob was introduced, oldest first; the chunk's own origin when none is known. */
  async locate(origin: Origin): Promise<readonly Origin[]> {
    if (origin.kind !== 'git-blob' || this.#attribution === undefined) return [origin];
    const result = await this.#attribution;
    this.#reportProblem(result);
    const { index } = result;
    const found = index.introductions(origin.blob);
    if (found.length === 0) return [origin];
    return found.map((i) => ({
      kind: 'git-blob',
      path: i.path,
      blob: origin.blob,
      commit: i.commit,
      author: i.author,
      email: i.email,
      date: i.date,
      ...(i.deletedIn === undefined ? {} : { deletedIn: i.deletedIn }),
    }));
  }

  async *#blobChunks(event: BlobEvent, events: AsyncIterator<BlobEvent>, context: SourceContext): AsyncGenerator<Chunk> {
    const max = this.#options.maxFileSize;
    switch (event.kind) {
      case 'blob': {
        const origin: GitBlobOrigin = { kind: 'git-blob', path: event.path, blob: event.oid };
        const { oid, predecessor } = event;
        if (max !== undefined && event.data.length > max) {
          this.#tooLarge(origin, event.data.length, context);
          this.#loans.ring.give(event.data);
        } else yield* this.#loans.lend(event.data, bufferChunks(event.data, origin, context, (data) => this.#deltas.facts(oid, data, predecessor)));
        this.#deltas.forget(oid);
        return;
      }
      case 'blob-start': {
        const origin: GitBlobOrigin = { kind: 'git-blob', path: event.path, blob: event.oid };
        this.#deltas.forget(event.oid);
        let ended = false;
        const body = async function* (): AsyncGenerator<Buffer> {
          for (let next = await events.next(); next.done !== true; next = await events.next()) {
            if (next.value.kind === 'blob-data') yield next.value.data;
            else break; // blob-end, or the stream broke off (a problem event follows)
          }
          ended = true;
        };
        if (max !== undefined && event.size > max) this.#tooLarge(origin, event.size, context);
        else yield* streamChunks(body(), origin, context);
        if (!ended) for await (const _ of body()); // drain what the binary sniff or size limit left unread
        return;
      }
      case 'missing':
        this.#deltas.forget(event.oid);
        context.warn(describeBlob(event.oid, event.path || (await this.#introducedAt(event.oid))), 'object missing or corrupt in the repository; not scanned');
        return;
      case 'problem':
        context.warn(this.#label, event.message);
        return;
      case 'blob-data':
      case 'blob-end':
        return; // only inside a streamed blob, consumed above
      default:
        return event satisfies never;
    }
  }

  /** A path the blob was committed at, or '' (a missing blob's answer lost its path, or a tag holds it). */
  async #introducedAt(oid: string): Promise<string> {
    if (this.#attribution === undefined) return '';
    const result = await this.#attribution;
    return result.index.introductions(oid)[0]?.path ?? '';
  }

  #tooLarge(origin: GitBlobOrigin, size: number, context: SourceContext): void {
    context.warn(describeBlob(origin.blob, origin.path), `larger than --max-file-size (${size} > ${this.#options.maxFileSize ?? 0} bytes); not scanned`);
  }

  async #revisions(): Promise<string[]> {
    const { branch, sinceCommit, maxCommits } = this.#options;
    const revs: string[] = [];
    revs.push(branch === undefined ? '--all' : await resolveCommit(this.#repo, this.#label, branch, '--branch'));
    if (sinceCommit !== undefined) revs.push(`^${await resolveCommit(this.#repo, this.#label, sinceCommit, '--since-commit')}`);
    if (maxCommits !== undefined) revs.push(`--max-count=${maxCommits}`);
    return revs;
  }

  #reportProblem(result: AttributionResult): void {
    if (result.problem === undefined || this.#reportedProblem || this.#context?.signal.aborted !== false) return;
    this.#reportedProblem = true;
    this.#context.warn(this.#label, `history incomplete: git log stopped (${result.problem}); blobs below that point may be unscanned or lack a commit`);
  }
}

/**
 * Room for the chunks in flight (scan() keeps up to 16 MB of them, plus one blob of up to a window, 8 MB)
 * and the blobs parsed ahead from the current pipe read; a blob that finds no room gets its own buffer.
 */
const RING_BYTES = 32 * 1024 * 1024;

function describeBlob(oid: string, path: string): string {
  return path === '' ? `blob ${oid}` : `blob ${oid} (${path})`;
}
