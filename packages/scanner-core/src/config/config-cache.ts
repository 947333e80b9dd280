import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { LeakguardConfig } from './config.js';

/**
 * Validated configs, cached beside the package by config path: loading the YAML library and parsing took
 * 35–90 ms of every start, a quarter of a pre-commit scan. An entry is used only when the config text and
 * the parser's own build are the ones it was made from; a config with problems is never cached.
 */
export function cachedConfig(path: string, text: string): LeakguardConfig | undefined {
  try {
    const entry = deserialize(readFileSync(cacheFile(path))) as { key?: unknown; config?: LeakguardConfig };
    return entry.key === entryKey(text) ? entry.config : undefined;
  } catch {
    return undefined; // no entry yet, or an unreadable one
  }
}

export function storeConfig(path: string, text: string, config: LeakguardConfig): void {
  const file = cacheFile(path);
  try {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, serialize({ key: entryKey(text), config }));
    renameSync(temp, file);
  } catch {
    // a read-only install still works, only slower
  }
}

function cacheFile(path: string): string {
  return fileURLToPath(new URL(`../../.config-cache-${createHash('sha1').update(path).digest('hex').slice(0, 12)}.bin`, import.meta.url));
}

function entryKey(text: string): string {
  let build = '';
  try {
    build = String(statSync(fileURLToPath(new URL('./config-loader.js', import.meta.url))).mtimeMs);
  } catch {
    // under the test runner the loader is a .ts file: the text alone keys the entry
  }
  return createHash('sha1').update(`${build}\0${text}`).digest('hex');
}
