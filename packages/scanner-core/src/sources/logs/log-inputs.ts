import { opendir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { InputError } from '../../errors.js';

/**
 * One thing `leakguard logs` reads: a file, or a stream read once from start to end: standard input for `-`,
 * or a named pipe or device (`<(kubectl logs …)`, `/dev/stdin`), which cannot be read at positions.
 */
export type LogInput =
  | { readonly kind: 'file'; readonly path: string; readonly display: string; readonly relative: string }
  | { readonly kind: 'stream'; readonly path?: string; readonly display: string; readonly relative: string };

export interface ExpandOptions {
  /** Inputs are resolved against, and reported relative to, this directory. */
  readonly cwd: string;
  /** Something under a directory or glob that is not read (symlink, device); the expansion goes on. */
  readonly skip?: (display: string, reason: string) => void;
  readonly warn?: (input: string, message: string) => void;
}

/**
 * Expands paths, directories (recursively), globs and `-` into the files to read, each series of rotated
 * files oldest first (`app.log.3.gz`, `app.log.2.gz`, `app.log.1`, `app.log`) so the first and last
 * occurrence of a secret are in time order. A named path that does not exist is an InputError; a glob that
 * matches nothing is a warning.
 */
export async function expandLogInputs(inputs: readonly string[], options: ExpandOptions): Promise<LogInput[]> {
  const out: LogInput[] = [];
  const seen = new Set<string>();
  const add = (input: LogInput): void => {
    const key = input.path ?? '-';
    if (seen.has(key)) return;
    seen.add(key);
    out.push(input);
  };
  for (const input of inputs) {
    if (input === '-') {
      add({ kind: 'stream', display: '<stdin>', relative: 'stdin' });
      continue;
    }
    const scan = picomatch.scan(input);
    if (scan.isGlob) {
      const base = resolve(options.cwd, scan.base === '' ? '.' : scan.base);
      const matcher = picomatch(toPosix(isAbsolute(input) ? input : join(options.cwd, input)), { dot: true });
      const files = (await walk(base, options)).filter((f) => matcher(toPosix(f)));
      if (files.length === 0) options.warn?.(input, 'no files match this pattern');
      for (const f of sortRotated(files)) add(fileInput(f, base, options.cwd));
      continue;
    }
    const absolute = resolve(options.cwd, input);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      throw new InputError(`${input}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
    if (info.isDirectory()) for (const f of sortRotated(await walk(absolute, options))) add(fileInput(f, absolute, options.cwd));
    else add({ kind: info.isFile() ? 'file' : 'stream', path: absolute, display: display(absolute, options.cwd), relative: basename(absolute) });
  }
  return out;
}

function fileInput(path: string, base: string, cwd: string): LogInput {
  return { kind: 'file', path, display: display(path, cwd), relative: toPosix(relative(base, path)) };
}

/** Regular files below `dir`; symlinks are not followed (a loop or an escape from the tree is never walked). */
async function walk(dir: string, options: ExpandOptions): Promise<string[]> {
  const files: string[] = [];
  let handle;
  try {
    handle = await opendir(dir);
  } catch (error) {
    options.warn?.(display(dir, options.cwd), `cannot read directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return files;
  }
  const dirs: string[] = [];
  for await (const entry of handle) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) dirs.push(full);
    else if (entry.isFile()) files.push(full);
    else options.skip?.(display(full, options.cwd), entry.isSymbolicLink() ? 'symlink' : 'not a regular file');
  }
  for (const sub of dirs.sort()) files.push(...(await walk(sub, options)));
  return files;
}

/**
 * Rotation order: per directory and base name, numbered rotations from the highest index (oldest) down,
 * dated ones (`-20240101`) ascending, then the live file.
 */
export function sortRotated(files: readonly string[]): string[] {
  const keyed = files.map((file) => ({ file, ...rotationKey(file) }));
  keyed.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.age - b.age || (a.file < b.file ? -1 : 1)));
  return keyed.map((k) => k.file);
}

function rotationKey(file: string): { series: string; age: number } {
  const m = /^(.*?)[.-](\d+)(?:\.(?:gz|zst|zstd))?$/.exec(file);
  const live = /^(.*?)(?:\.(?:gz|zst|zstd))?$/.exec(file)?.[1] ?? file;
  if (m === null) return { series: live, age: 0 };
  const n = Number(m[2]);
  // Small numbers are logrotate indices (bigger = older); long ones are dates (bigger = newer).
  return { series: m[1] ?? file, age: (m[2] ?? '').length >= 8 ? -1e12 + n : -n };
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return toPosix(rel === '' ? basename(path) : rel);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
