import type { Chunk } from '../../chunk.js';
import { InputError } from '../../errors.js';
import type { Origin } from '../../origin.js';
import { bufferChunks } from '../read-item.js';
import type { Source, SourceContext } from '../source.js';
import { DEFAULT_WINDOW, windowedChunks } from '../windowing.js';
import type { CommitInfo } from './blob-introductions.js';
import { BlobFetcher } from './blob-fetcher.js';
import { firstLine, spawnGit, type GitStream } from './git-process.js';
import { resolveRange, type ResolvedRange } from './git-range.js';
import { joinLines, PATCH_LOG_FORMAT, PatchParser, type PatchEvent, type PatchFile } from './patch-parser.js';

/** What to diff: the commits of a range (PR gate), or the index against HEAD (pre-commit). */
export type GitDiffMode = { readonly kind: 'range'; readonly range: string } | { readonly kind: 'staged' };

type GitDiffOrigin = Extract<Origin, { kind: 'git-diff' }>;

/** Diff options shared by both modes: no context, full blob ids, fixed prefixes, no external tools. */
const DIFF_OPTIONS = ['-U0', '--full-index', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--src-prefix=a/', '--dst-prefix=b/'];
const STAGED_ARGS = ['diff', '--cached', ...DIFF_OPTIONS, '--'];

/**
 * Scans only ADDED lines, with their line numbers in the new file. Range mode reads one `git log -p --cc`
 * stream over the whole range (no process per commit), so each added line carries the commit and author
 * that added it; merges contribute only lines that are new relative to every parent. Staged mode reads
 * `git diff --cached`: the index, never the working tree, so an unstaged edit can neither hide nor fake a
 * leak. Files git calls binary are read from their new blob and scanned whole when they are in fact text
 * (UTF-16); real binaries are skipped.
 */
export class GitDiffSource implements Source {
  readonly id: string;
  readonly #repo: string;
  readonly #label: string;
  readonly #mode: GitDiffMode;
  /** The range actually scanned, once resolved (the merge base replaces BASE when it is not an ancestor). */
  resolved: ResolvedRange | undefined;
  /** The diff or log process, started by prepare() (range resolved first) while the engine is being built. */
  #early: Promise<GitStream> | undefined;

  constructor(repo: string, mode: GitDiffMode, label: string = repo) {
    this.#repo = repo;
    this.#label = label;
    this.#mode = mode;
    this.id = mode.kind === 'staged' ? `git-staged:${label}` : `git-range:${label}:${mode.range}`;
  }

  /** The diff needs nothing from the engine: git resolves the range and starts while the rules compile. */
  prepare(): void {
    if (this.#early !== undefined) return;
    this.#early = this.#start();
    this.#early.catch(() => undefined); // a bad range is reported when chunks() awaits it
  }

  /** Spawned un-ref'd: chunks() refs it when it reads; until then it does not keep Node running. */
  async #start(): Promise<GitStream> {
    return spawnGit(this.#repo, await this.#args(), { unref: true });
  }

  async *chunks(context: SourceContext): AsyncGenerator<Chunk> {
    const started = this.#early ?? this.#start();
    this.#early = undefined;
    const git = await started;
    git.ref();
    if (this.resolved?.note !== undefined) context.warn(this.#label, this.resolved.note);
    const parser = new PatchParser();
    const blobs = new BlobFetcher(this.#repo);
    const state: { commit: CommitInfo | undefined; file: PatchFile | undefined; bytes: number } = { commit: undefined, file: undefined, bytes: 0 };
    let complete = false;
    try {
      for await (const piece of git.stdout as AsyncIterable<Buffer>) {
        for (const event of parser.push(piece)) yield* this.#event(event, state, blobs, context);
        if (context.signal.aborted) return;
      }
      for (const event of parser.end()) yield* this.#event(event, state, blobs, context);
      this.#fileDone(state, undefined, context);
      const { code, stderr } = await git.exited;
      if (code !== 0) throw new InputError(`${this.#label}: git ${this.#mode.kind === 'staged' ? 'diff' : 'log'} failed: ${firstLine(stderr)}`);
      complete = true;
    } finally {
      blobs.close();
      if (!complete) git.kill();
    }
  }

  async *#event(
    event: PatchEvent,
    state: { commit: CommitInfo | undefined; file: PatchFile | undefined; bytes: number },
    blobs: BlobFetcher,
    context: SourceContext,
  ): AsyncGenerator<Chunk> {
    switch (event.kind) {
      case 'commit':
        this.#fileDone(state, undefined, context);
        state.commit = event.commit;
        return;
      case 'added': {
        if (!context.inShard(event.file.path)) return;
        this.#fileDone(state, event.file, context);
        const data = joinLines(event.lines);
        state.bytes += data.length;
        yield* lineChunks(data, origin(event.file, state.commit), event.line);
        return;
      }
      case 'binary': {
        if (!context.inShard(event.file.path)) return;
        this.#fileDone(state, undefined, context);
        const where = origin(event.file, state.commit);
        const data = event.file.newOid === undefined ? undefined : await blobs.fetch(event.file.newOid);
        if (data === undefined) context.warn(event.file.path, 'binary file whose new content git cannot show; not scanned');
        else yield* bufferChunks(data, where, context);
        return;
      }
      default:
        return event satisfies never;
    }
  }

  /** Counts a file as scanned once its added lines are all out (when the next file or commit starts). */
  #fileDone(state: { file: PatchFile | undefined; bytes: number }, next: PatchFile | undefined, context: SourceContext): void {
    if (state.file !== undefined && next !== undefined && sameFile(state.file, next)) return;
    if (state.file !== undefined) context.scanned(state.bytes);
    state.file = next;
    state.bytes = 0;
  }

  /** The command to run; in range mode the range is resolved first (and kept: `resolved`). */
  async #args(): Promise<string[]> {
    if (this.#mode.kind === 'staged') return STAGED_ARGS;
    this.resolved ??= await resolveRange(this.#repo, this.#label, this.#mode.range);
    return ['log', '-p', '--cc', '--root', '--topo-order', '--reverse', ...DIFF_OPTIONS, PATCH_LOG_FORMAT, ...this.resolved.revs, '--'];
  }
}

function sameFile(a: PatchFile, b: PatchFile): boolean {
  return a.path === b.path && a.newOid === b.newOid;
}

function origin(file: PatchFile, commit: CommitInfo | undefined): GitDiffOrigin {
  if (commit === undefined) return { kind: 'git-diff', path: file.path };
  return { kind: 'git-diff', path: file.path, commit: commit.commit, author: commit.author, email: commit.email, date: commit.date };
}

/** Chunks for a run of added lines whose first line is `line` of the new file. */
async function* lineChunks(data: Buffer, where: GitDiffOrigin, line: number): AsyncGenerator<Chunk> {
  if (data.length <= DEFAULT_WINDOW.windowSize) {
    yield { data, origin: where, offset: 0, line, column: 1, ownedStart: 0, ownedEnd: data.length };
    return;
  }
  for await (const chunk of windowedChunks([data], where)) yield { ...chunk, line: chunk.line + line - 1 };
}
