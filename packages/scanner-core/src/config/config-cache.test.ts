import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { cachedConfig } from './config-cache.js';
import { loadConfig } from './config-loader.js';

describe('config cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakguard-config-cache-'));
  const path = join(dir, '.leakguard.yaml');

  it('serves a loaded config again only while its text is unchanged', () => {
    writeFileSync(path, "allow:\n  paths: ['vendor/**']\n");
    const first = loadConfig(path);
    expect(cachedConfig(path, "allow:\n  paths: ['vendor/**']\n")).toEqual(first);
    writeFileSync(path, "allow:\n  paths: ['third_party/**']\n");
    expect(cachedConfig(path, "allow:\n  paths: ['third_party/**']\n")).toBeUndefined();
    expect(loadConfig(path).allow.paths).toEqual(['third_party/**']);
  });

  it('never caches a config with problems: every load reports them', () => {
    writeFileSync(path, 'bogus: 1\n');
    expect(() => loadConfig(path)).toThrow(ConfigError);
    expect(cachedConfig(path, 'bogus: 1\n')).toBeUndefined();
    expect(() => loadConfig(path)).toThrow(/bogus: unknown key/);
  });
});
