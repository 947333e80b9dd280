import { createHash } from 'node:crypto';
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Caches that spare start-up work (validated rules, validated configs) live beside the package, one file
 * per `kind` and `name`: `.<kind>-<hash of name>.<extension>`.
 */
export function packageCacheFile(kind: string, name: string, extension: string): string {
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 12);
  return fileURLToPath(new URL(`../.${kind}-${hash}.${extension}`, import.meta.url));
}

/** Writes a cache file whole or not at all (temp file + rename); a read-only install goes without. */
export function writeCacheFile(file: string, data: string | Uint8Array): void {
  try {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch {
    // still works, only slower
  }
}

/**
 * When the given modules were built (their files' mtimes), for cache keys: an entry made by another build of
 * the code that reads it is not used. Under the test runner the modules are .ts sources: their stamp is 0.
 */
export function buildStamp(modules: readonly URL[]): string {
  return modules
    .map((url) => {
      try {
        return String(statSync(fileURLToPath(url)).mtimeMs);
      } catch {
        return '0';
      }
    })
    .join(',');
}
