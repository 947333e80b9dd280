import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** The ignore files honoured in every directory of a walked tree. */
export const IGNORE_FILES = ['.gitignore', '.leakguardignore'] as const;

/** One directory's ignore rules, applied to paths relative to that directory. */
export interface IgnoreLayer {
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * Reads the ignore files of a directory (relative path `base` from the root), or undefined if none.
 * `present` is the directory's listing: only names in it are opened (a failed open per name and directory
 * was a tenth of a walk over a tree of small files).
 */
export function readIgnoreLayer(dirPath: string, base: string, present: ReadonlySet<string>): IgnoreLayer | undefined {
  let rules: Ignore | undefined;
  for (const name of IGNORE_FILES) {
    if (!present.has(name)) continue;
    let text: string;
    try {
      text = readFileSync(join(dirPath, name), 'utf8');
    } catch {
      continue;
    }
    rules ??= ignore();
    rules.add(text);
  }
  return rules === undefined ? undefined : { base, rules };
}

/** True when any layer (outermost first) ignores `relPath` (a `/`-separated path from the root). */
export function isIgnored(layers: readonly IgnoreLayer[], relPath: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const local = layer.base === '' ? relPath : relPath.slice(layer.base.length + 1);
    if (local === '' || local.startsWith('..')) continue;
    if (layer.rules.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}
