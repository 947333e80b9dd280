import type { CommitInfo } from './blob-introductions.js';
import { decodeGitPath, unquoteGitPath } from './git-path.js';
import { TokenSplitter } from './token-splitter.js';

/** The new side of one file in a patch. */
export interface PatchFile {
  readonly path: string;
  /** Full id of the new blob (`--full-index`), when the patch names it. */
  readonly newOid: string | undefined;
  readonly deleted: boolean;
  /** A submodule entry: its "content" is a commit id, nothing to scan. */
  readonly gitlink: boolean;
}

/** What a patch stream says, in order. */
export type PatchEvent =
  | { readonly kind: 'commit'; readonly commit: CommitInfo }
  /** Consecutive lines added to `file`, the first at new-file line `line` (1-based), without newlines. */
  | { readonly kind: 'added'; readonly file: PatchFile; readonly line: number; readonly lines: readonly Buffer[] }
  /** Git printed "Binary files … differ": the content has to be read from the new blob. */
  | { readonly kind: 'binary'; readonly file: PatchFile };

/** Marks a commit header: the log format is `%x01%H%x00%an%x00%ae%x00%aI`. */
export const PATCH_LOG_FORMAT = '--format=%x01%H%x00%an%x00%ae%x00%aI';

const HUNK = /^(@{2,}) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,\d+)? @{2,}/;
const ZERO_OID = /^0+$/;

/**
 * A push parser for `git log -p -U0 --cc` and `git diff -U0` output that keeps only ADDED lines, with
 * their line numbers in the new file. Handles plain and combined (merge) hunks: in a combined hunk a line
 * is new in the merge only if every parent column is '+'. Headers are recognised only outside hunks, and
 * inside a hunk every line starts with a column character, so file content can never pass for a header.
 */
export class PatchParser {
  readonly #lines = new TokenSplitter(10);
  #file: MutableFile | undefined;
  #parents = 0;
  #inHunk = false;
  #newLine = 0;
  #run: { line: number; lines: Buffer[] } | undefined;

  push(piece: Buffer): PatchEvent[] {
    const events: PatchEvent[] = [];
    for (const line of this.#lines.push(piece)) this.#line(line, events);
    return events;
  }

  end(): PatchEvent[] {
    const events: PatchEvent[] = [];
    for (const line of this.#lines.end()) this.#line(line, events);
    this.#endRun(events);
    return events;
  }

  #line(line: Buffer, events: PatchEvent[]): void {
    const first = line[0];
    if (this.#inHunk && (first === 0x20 || first === 0x2b || first === 0x2d || first === 0x5c)) {
      this.#hunkLine(line, events);
      return;
    }
    this.#endRun(events);
    this.#inHunk = false;
    if (first === 0x01) {
      const [commit = '', author = '', email = '', date = ''] = line.toString('utf8', 1).split('\0');
      this.#file = undefined;
      events.push({ kind: 'commit', commit: { commit, author, email, date } });
    } else if (first === 0x40 /* @ */) {
      this.#hunkHeader(line);
    } else {
      this.#fileHeader(line, events);
    }
  }

  #hunkHeader(line: Buffer): void {
    const match = HUNK.exec(line.toString('latin1'));
    if (match === null || this.#file === undefined) return;
    this.#parents = (match[1] ?? '@@').length - 1;
    this.#newLine = Number(match[3]);
    this.#inHunk = true;
  }

  #hunkLine(line: Buffer, events: PatchEvent[]): void {
    if (line[0] === 0x5c) return; // "\ No newline at end of file"
    const n = this.#parents;
    let added = true;
    let inResult = true;
    for (let i = 0; i < n; i++) {
      const c = line[i];
      if (c !== 0x2b) added = false;
      if (c === 0x2d) inResult = false;
    }
    if (!inResult) return;
    if (!added) {
      this.#endRun(events);
      this.#newLine++;
      return;
    }
    if (this.#run === undefined) this.#run = { line: this.#newLine, lines: [] };
    this.#run.lines.push(line.subarray(n));
    this.#newLine++;
  }

  #endRun(events: PatchEvent[]): void {
    const run = this.#run;
    if (run === undefined) return;
    this.#run = undefined;
    if (this.#file !== undefined && !this.#file.gitlink) events.push({ kind: 'added', file: snapshot(this.#file), line: run.line, lines: run.lines });
  }

  #fileHeader(line: Buffer, events: PatchEvent[]): void {
    const text = line.toString('latin1');
    if (text.startsWith('diff --git ')) this.#file = newFile(headerPath(line.subarray(11)));
    else if (text.startsWith('diff --cc ') || text.startsWith('diff --combined ')) {
      this.#file = newFile(decodeGitPath(unquoteGitPath(line.subarray(text.indexOf(' ', 7) + 1))));
    }
    const file = this.#file;
    if (file === undefined) return;
    if (text.startsWith('+++ ')) {
      const target = unquoteGitPath(line.subarray(4));
      if (target.toString('latin1') === '/dev/null') file.deleted = true;
      else file.path = decodeGitPath(stripPrefix(target));
    } else if (text.startsWith('rename to ') || text.startsWith('copy to ')) {
      file.path = decodeGitPath(unquoteGitPath(line.subarray(text.indexOf(' to ') + 4)));
    } else if (text.startsWith('deleted file mode ')) {
      file.deleted = true;
    } else if (text.startsWith('new file mode 160000') || text.startsWith('new mode 160000')) {
      file.gitlink = true;
    } else if (text.startsWith('index ')) {
      const [ids = '', mode = ''] = text.slice(6).split(' ');
      const oid = ids.slice(ids.indexOf('..') + 2);
      file.newOid = ZERO_OID.test(oid) ? undefined : oid;
      if (mode === '160000') file.gitlink = true;
    } else if (text.startsWith('Binary files ') && text.endsWith(' differ')) {
      if (!file.deleted && !file.gitlink && !text.endsWith(' and /dev/null differ')) events.push({ kind: 'binary', file: snapshot(file) });
    }
  }
}

interface MutableFile {
  path: string;
  newOid: string | undefined;
  deleted: boolean;
  gitlink: boolean;
}

function newFile(path: string): MutableFile {
  return { path, newOid: undefined, deleted: false, gitlink: false };
}

function snapshot(file: MutableFile): PatchFile {
  return { path: file.path, newOid: file.newOid, deleted: file.deleted, gitlink: file.gitlink };
}

/**
 * The path in `a/P b/P` (what `diff --git` prints when the name did not change). A later `+++` or
 * `rename to` line corrects it; this matters only for patches without those (binary, mode-only).
 */
function headerPath(rest: Buffer): string {
  if (rest[0] === 0x22 /* " */) {
    // `"a/P" "b/Q"` or `"a/P" b/Q`: the new side is what follows the closing quote
    const close = findClosingQuote(rest);
    const second = rest.subarray(close + 2);
    return decodeGitPath(stripPrefix(unquoteGitPath(second)));
  }
  const n = rest.length;
  if (n % 2 === 1) {
    const half = (n - 1) / 2;
    const left = rest.subarray(2, half);
    const right = rest.subarray(half + 3);
    if (rest[half] === 0x20 && left.equals(right)) return decodeGitPath(right);
  }
  const b = rest.lastIndexOf(' b/');
  return decodeGitPath(b === -1 ? rest : rest.subarray(b + 3));
}

function findClosingQuote(text: Buffer): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === 0x5c) i++;
    else if (text[i] === 0x22) return i;
  }
  return text.length;
}

function stripPrefix(path: Buffer): Buffer {
  return path[1] === 0x2f && (path[0] === 0x62 || path[0] === 0x61) ? path.subarray(2) : path;
}

/** Lines as one buffer, each followed by a newline, copied once into a buffer of the final size. */
export function joinLines(lines: readonly Buffer[]): Buffer {
  let size = 0;
  for (const line of lines) size += line.length + 1;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const line of lines) {
    at += line.copy(out, at);
    out[at++] = 10;
  }
  return out;
}
