import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { fakeGithubToken } from '../../packages/scanner-core/src/testing/fake-tokens.js';

describe('--max-line-window', () => {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-window-'));
  // One 3 MB line with a token straddling each 256 KiB boundary.
  const parts: string[] = [];
  let length = 0;
  for (let i = 1; length < 3_000_000; i++) {
    const pad = 'x'.repeat(i * 262_144 - length - 20);
    const token = fakeGithubToken(950 + i);
    parts.push(pad, ` ${token} `);
    length += pad.length + token.length + 2;
  }
  writeFileSync(join(root, 'minified.js'), parts.join(''));
  const tokens = parts.filter((p) => p.startsWith(' ')).length;

  const places = async (argv: string[]): Promise<string[]> => {
    const result = await runCli(['dir', '.', '-f', 'json', '--no-group', ...argv], { cwd: root });
    expect(result.exitCode).toBe(1);
    return (JSON.parse(result.stdout) as { findings: { location: { line: number; column: number } }[] }).findings.map((f) => `${f.location.line}:${f.location.column}`);
  };

  it('finds every token exactly once with small windows, as with the default', async () => {
    const small = await places(['--max-line-window', String(256 * 1024)]);
    expect(small).toHaveLength(tokens);
    expect(small).toEqual(await places([]));
  });

  it('rejects a window smaller than four overlaps with one line and exit 2', async () => {
    const result = await runCli(['dir', '.', '--max-line-window', '1000'], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^leakguard: --max-line-window takes a whole number of bytes from 262144 to \d+\n/);
  });
});
