import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../../errors.js';
import { jsonProblem } from '../../json-problem.js';

/** Bytes at the start of a file that identify its content across renames and compression. */
export const HEAD_BYTES = 1024;
/** Bytes before the resume point that must still be there for a resume to be trusted. */
export const TAIL_BYTES = 1024;
const FORGET_AFTER_MS = 30 * 24 * 3600 * 1000;

/** The stored file itself (for an archive that has not changed, no decoding at all). */
export interface FileStat {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** How far one file's decoded content was scanned. Offsets and lines are in the decoded text. */
export interface LogProgress {
  /** Hash and length of the first HEAD_BYTES decoded bytes (fewer for a smaller file). */
  readonly headHash: string;
  readonly headLength: number;
  /** Scanning resumes here: the start of the first incomplete line. */
  readonly offset: number;
  /** 1-based line number at `offset`. */
  readonly line: number;
  /** Decoded bytes seen; matches wholly before this were reported already. */
  readonly size: number;
  /** Hash of the TAIL_BYTES (or fewer) bytes before `offset`, checked before resuming. */
  readonly tailHash: string;
  readonly tailLength: number;
}

export interface LogStateRecord extends LogProgress {
  readonly path: string;
  readonly file: FileStat;
  readonly compression?: string;
  /** The whole file was read (not stopped by a limit or damage). */
  readonly complete: boolean;
  readonly seenAt: number;
}

interface StateFile {
  readonly version: 1;
  readonly files: LogStateRecord[];
}

/**
 * `--state FILE` for incremental audits. A file is recognised by the hash of its first KB of decoded
 * content, preferring the record with the same inode, so a rename (`app.log` → `app.log.1`), a
 * compression (`app.log.1` → `app.log.2.gz`) or copytruncate is followed; the hash of the KB before the
 * resume point must match too, so a file that was rewritten or truncated is scanned from the start.
 * Records nobody matched for 30 days are forgotten. Saving is atomic (temp file + rename).
 */
export class LogState {
  readonly #records: LogStateRecord[];
  readonly #updated: LogStateRecord[] = [];
  readonly #consumed = new Set<LogStateRecord>();

  private constructor(records: LogStateRecord[]) {
    this.#records = records;
  }

  static empty(): LogState {
    return new LogState([]);
  }

  static async load(path: string): Promise<LogState> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return LogState.empty();
      throw new InputError(`--state ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
    let parsed: Partial<StateFile>;
    try {
      parsed = JSON.parse(text) as Partial<StateFile>;
    } catch (error) {
      throw new InputError(`--state ${path}: not a valid state file (${jsonProblem(error, text)}); delete it to start over`, { cause: error });
    }
    try {
      if (parsed.version !== 1 || !Array.isArray(parsed.files)) throw new Error('not a leakguard log state file');
      return new LogState(parsed.files);
    } catch (error) {
      throw new InputError(`--state ${path}: not a valid state file (${(error as Error).message}); delete it to start over`, { cause: error });
    }
  }

  /** A recorded archive that is byte-for-byte the stored file it was (same inode, size, mtime) and was read whole. */
  unchangedArchive(file: FileStat): LogStateRecord | undefined {
    return this.#records.find((r) => r.compression !== undefined && r.complete && sameStat(r.file, file));
  }

  /**
   * Records whose content starts like `head` (the file's first decoded bytes), best first: same inode,
   * then most progress. The caller checks the tail hash before resuming from one.
   */
  candidates(head: Buffer, file: FileStat | undefined): LogStateRecord[] {
    const hashes = new Map<number, string>();
    const hashOf = (length: number): string => {
      let h = hashes.get(length);
      if (h === undefined) hashes.set(length, (h = hashBytes(head.subarray(0, length))));
      return h;
    };
    return this.#records
      .filter((r) => r.headLength <= head.length && hashOf(r.headLength) === r.headHash)
      .sort((a, b) => Number(file !== undefined && sameInode(b.file, file)) - Number(file !== undefined && sameInode(a.file, file)) || b.offset - a.offset);
  }

  /** Notes that a file was scanned (resuming from `from`, if any); nothing is written until `save`. */
  record(record: Omit<LogStateRecord, 'seenAt'>, from?: LogStateRecord): void {
    if (from !== undefined) this.#consumed.add(from);
    this.#updated.push({ ...record, seenAt: Date.now() });
  }

  /** A record matched but left as it was (an unchanged archive): keeps it from being forgotten. */
  touch(record: LogStateRecord): void {
    this.record(record, record);
  }

  /** Writes the state atomically: a temp file in the same directory, fsync, rename. */
  async save(path: string): Promise<void> {
    const now = Date.now();
    const kept = this.#records.filter((r) => !this.#consumed.has(r) && now - r.seenAt < FORGET_AFTER_MS);
    const state: StateFile = { version: 1, files: [...this.#updated, ...kept] };
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 1)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new InputError(`--state ${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
  }
}

export function hashBytes(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 32);
}

function sameInode(a: FileStat, b: FileStat): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function sameStat(a: FileStat, b: FileStat): boolean {
  return sameInode(a, b) && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
