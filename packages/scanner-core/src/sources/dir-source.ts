import { closeSync, constants, createReadStream, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Chunk } from '../chunk.js';
import { InputError } from '../errors.js';
import { isIgnored, readIgnoreLayer, type IgnoreLayer } from './ignore-files.js';
import { childPath, pathText, type FsPath } from './path-bytes.js';
import { bufferChunks, streamChunks } from './read-item.js';
import type { Source, SourceContext } from './source.js';
import { DEFAULT_WINDOW } from './windowing.js';

export interface DirSourceOptions {
  /** Honour .gitignore and .leakguardignore files (default true). */
  readonly useIgnoreFiles?: boolean;
  /** Files larger than this are skipped with a warning (bytes). */
  readonly maxFileSize?: number;
  /** Report paths relative to this directory (default: `cwd`). */
  readonly displayRoot?: string;
  /** Directory relative paths are resolved against (default: the process's). */
  readonly cwd?: string;
  /** Globs on report paths (a config's `allow.paths`): matching files are skipped unread, counted as `allow-listed path`. */
  readonly excludePaths?: readonly string[];
}

/**
 * Walks files and directories. Honours ignore files, never descends into `.git`, skips binaries by
 * sniffing, and follows no symlink: one pointing inside the root is skipped (its target is walked
 * anyway), one pointing outside is reported as skipped.
 */
export class DirSource implements Source {
  readonly id: string;
  readonly #paths: readonly string[];
  readonly #options: DirSourceOptions;

  readonly #excluded: ((path: string) => boolean) | undefined;

  constructor(paths: readonly string[], options: DirSourceOptions = {}) {
    this.#paths = paths.length === 0 ? ['.'] : paths;
    this.#options = options;
    const globs = options.excludePaths ?? [];
    const matchers = globs.map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
    this.#excluded = matchers.length === 0 ? undefined : (path) => matchers.some((m) => m(path));
    this.id = `dir:${this.#paths.join(',')}`;
  }

  async *chunks(context: SourceContext): AsyncGenerator<Chunk> {
    for (const path of this.#paths) {
      const absolute = resolve(this.#options.cwd ?? process.cwd(), path);
      let info;
      try {
        info = await stat(absolute);
      } catch (error) {
        throw new InputError(`${path}: cannot scan (${describe(error)})`, { cause: error });
      }
      if (info.isDirectory()) {
        const root = await realpath(absolute);
        const layers: IgnoreLayer[] = [];
        yield* this.#walk(root, root, '', layers, context);
      } else {
        yield* this.#file(absolute, context);
      }
    }
  }

  /** `rel` is `dir` relative to the root, `/`-separated, with invalid UTF-8 bytes escaped (see path-bytes). */
  async *#walk(root: string, dir: FsPath, rel: string, parentLayers: readonly IgnoreLayer[], context: SourceContext): AsyncGenerator<Chunk> {
    let dirents;
    try {
      // Names as bytes: a name that is not valid UTF-8 must still be opened (and reported) as itself.
      dirents = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      context.warn(this.#display(dir), `cannot read directory (${describe(error)})`);
      return;
    }
    const entries = dirents.map((entry) => ({
      bytes: entry.name,
      name: pathText(entry.name),
      kind: entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other',
    }));
    const names = new Set(entries.map((e) => e.name));
    const layer = this.#options.useIgnoreFiles === false || typeof dir !== 'string' ? undefined : readIgnoreLayer(dir, rel, names);
    const layers = layer === undefined ? parentLayers : [...parentLayers, layer];
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { bytes, name, kind } of entries) {
      if (context.signal.aborted) return;
      const full = childPath(dir, bytes);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      if (kind === 'dir' && name === '.git') continue;
      if (safeIgnored(layers, relPath, kind === 'dir')) continue;
      if (kind === 'dir') yield* this.#walk(root, full, relPath, layers, context);
      else if (kind === 'file') yield* this.#file(full, context);
      else if (kind === 'link') await this.#symlink(root, full, context);
      else context.skip(this.#display(full), 'not a regular file');
    }
  }

  async #symlink(root: string, full: FsPath, context: SourceContext): Promise<void> {
    let target: string;
    try {
      target = await realpath(full);
    } catch (error) {
      context.warn(this.#display(full), `broken or looping symlink (${describe(error)})`);
      return;
    }
    if (target === root || target.startsWith(root + sep)) context.skip(this.#display(full), 'symlink inside the root (target scanned)');
    else context.warn(this.#display(full), 'symlink points outside the scanned root; not followed');
  }

  async *#file(full: FsPath, context: SourceContext): AsyncGenerator<Chunk> {
    const path = this.#display(full);
    if (!context.inShard(path)) return;
    if (this.#excluded?.(path) === true) {
      context.skip(path, 'allow-listed path');
      return;
    }
    const origin = { kind: 'file' as const, path };
    // Synchronous reads: for many small files they cost a third of fs/promises' thread-pool round trips,
    // and the scan is CPU-bound anyway. O_NOFOLLOW | O_NONBLOCK: never follow a link, never hang on a FIFO.
    let fd: number;
    try {
      fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      context.warn(path, `cannot read file (${describe(error)})`);
      return;
    }
    let data: Buffer | undefined;
    let stream = false;
    try {
      const info = fstatSync(fd);
      const size = info.size;
      if (!info.isFile()) {
        context.skip(path, 'not a regular file');
        return;
      }
      const max = this.#options.maxFileSize;
      if (max !== undefined && size > max) {
        context.warn(path, `larger than --max-file-size (${size} > ${max} bytes); not scanned`);
        return;
      }
      if (size <= DEFAULT_WINDOW.windowSize) data = readWhole(fd, size);
      else stream = true;
    } catch (error) {
      context.warn(path, `cannot read file (${describe(error)})`);
      return;
    } finally {
      if (!stream) closeSync(fd);
    }
    if (data !== undefined) {
      yield* bufferChunks(data, origin, context);
      return;
    }
    try {
      yield* streamChunks(createReadStream(full, { fd, highWaterMark: 1024 * 1024 }), origin, context);
    } catch (error) {
      context.warn(path, `cannot read file (${describe(error)})`);
    }
  }

  #display(full: FsPath): string {
    const text = pathText(full);
    const rel = relative(this.#options.displayRoot ?? this.#options.cwd ?? process.cwd(), text);
    return toPosix(rel === '' ? basename(text) : rel);
  }
}

/** Reads a file of known size; a file that shrank meanwhile yields what is there. */
function readWhole(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const n = readSync(fd, buffer, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === size ? buffer : buffer.subarray(0, filled);
}

function safeIgnored(layers: readonly IgnoreLayer[], relPath: string, isDir: boolean): boolean {
  try {
    return isIgnored(layers, relPath, isDir);
  } catch {
    return false; // a name the ignore library cannot parse is scanned, never dropped
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : 'error');
}
