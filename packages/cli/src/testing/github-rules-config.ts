import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRulesDir } from '@leakguard/scanner-core';

/**
 * A config file (outside any scanned tree) with only the GitHub rules, for CLI tests whose expectations
 * should not move when the rule library grows. Extra top-level YAML can be appended.
 */
export function githubRulesConfig(extra = ''): string {
  const rules = readFileSync(join(defaultRulesDir(), 'github.yaml'), 'utf8')
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
  const path = join(mkdtempSync(join(tmpdir(), 'leakguard-config-')), 'leakguard.yaml');
  writeFileSync(path, `extends: none\nrules:\n  add:\n${rules}\n${extra}`);
  return path;
}
