import { readFileSync } from 'node:fs';

/**
 * The CLI package version, read once from its package.json: one folder up from dist/, two from the
 * bundle in dist/bundle/.
 */
export const VERSION: string = readVersion();

function readVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'leakguard' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not this folder
    }
  }
  return '0.0.0';
}
