import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rulesMarkdown } from '../packages/cli/src/commands/rules.js';
import { loadRuleDir } from '../packages/scanner-core/src/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

describe('generated docs', () => {
  it('docs/rules.md is current (regenerate: pnpm leakguard rules list --format md > docs/rules.md)', () => {
    expect(readFileSync(`${repo}/docs/rules.md`, 'utf8')).toBe(rulesMarkdown(loadRuleDir()));
  });
});
