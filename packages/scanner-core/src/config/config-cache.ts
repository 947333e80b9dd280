import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { buildStamp, packageCacheFile, writeCacheFile } from '../package-cache.js';
import type { LeakguardConfig } from './config.js';

/**
 * Validated configs, cached beside the package: loading the YAML library and parsing took 35–90 ms of every
 * start, a quarter of a pre-commit scan. One entry per config path, in one of BUCKETS files (so they cannot
 * pile up), used only when the path, the text and the parser's own build are the ones it was made from. A
 * config with problems is never cached.
 */
export function cachedConfig(path: string, text: string): LeakguardConfig | undefined {
  try {
    const entry = deserialize(readFileSync(cacheFile(path))) as { key?: unknown; config?: LeakguardConfig };
    return entry.key === entryKey(path, text) ? entry.config : undefined;
  } catch {
    return undefined; // no entry yet, or an unreadable one
  }
}

export function storeConfig(path: string, text: string, config: LeakguardConfig): void {
  writeCacheFile(cacheFile(path), serialize({ key: entryKey(path, text), config }));
}

const BUCKETS = 64;

function cacheFile(path: string): string {
  const bucket = (createHash('sha1').update(path).digest()[0] ?? 0) % BUCKETS;
  return packageCacheFile('config-cache', String(bucket), 'bin');
}

function entryKey(path: string, text: string): string {
  // In the CLI bundle the loader has no file of its own; this module's file (a bundle chunk) stands in.
  const build = buildStamp([new URL(import.meta.url), new URL('./config-loader.js', import.meta.url)]);
  return createHash('sha1').update(`${build}\0${path}\0${text}`).digest('hex');
}
