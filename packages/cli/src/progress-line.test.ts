import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { runCli } from './testing/run-cli.js';

describe('progress line', () => {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-progress-'));
  const token = fakeGithubToken(77);
  writeFileSync(join(root, 'a.txt'), `t=${token}\n`);

  it('draws counts on a terminal stderr, erases itself, and never shows a secret', async () => {
    const result = await runCli(['dir', '.', '-f', 'json'], { cwd: root, stderrIsTTY: true });
    expect(result.stderr).toMatch(/scanning: \d+ items, [\d.]+ MB, [\d.]+ MB\/s, \d+ findings?/);
    expect(result.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(result.stderr).not.toContain(token);
    expect(result.stdout).not.toContain('scanning:');
  });

  it('stays silent when stderr is not a terminal or with --quiet', async () => {
    expect((await runCli(['dir', '.'], { cwd: root })).stderr).not.toContain('scanning:');
    expect((await runCli(['dir', '.', '--quiet'], { cwd: root, stderrIsTTY: true })).stderr).toBe('');
  });
});
