import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { fakeGithubToken } from '../../packages/scanner-core/src/testing/fake-tokens.js';

describe('--file-timeout', () => {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-timeout-'));
  const filler = 'ordinary text that takes a while to read in windows\n'.repeat(600_000); // ~31 MB: four windows
  writeFileSync(join(root, 'huge.log'), `first ${fakeGithubToken(901)}\n${filler}last ${fakeGithubToken(902)}\n`);
  writeFileSync(join(root, 'small.txt'), `small ${fakeGithubToken(903)}\n`);

  it('stops matching a file that outlives its budget, warns naming it, and scans the other files', async () => {
    const result = await runCli(['dir', '.', '-f', 'json', '--no-group', '--file-timeout', '0.000001'], { cwd: root });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { location: { path: string; line: number } }[]; summary: { warnings: { input: string; message: string }[] } };
    expect(report.findings.map((f) => `${f.location.path}:${f.location.line}`).sort()).toEqual(['huge.log:1', 'small.txt:1']);
    expect(report.summary.warnings).toEqual([
      { input: 'huge.log', message: expect.stringMatching(/^took longer than --file-timeout \([\d.e-]+ s\); the rest from byte \d+ on is not scanned$/) as unknown as string },
    ]);
  });

  it('scans the whole file within the default budget', async () => {
    const result = await runCli(['dir', '.', '-f', 'json', '--no-group'], { cwd: root });
    const report = JSON.parse(result.stdout) as { findings: unknown[]; summary: { warnings: unknown[] } };
    expect(report.findings).toHaveLength(3);
    expect(report.summary.warnings).toEqual([]);
  });
});
