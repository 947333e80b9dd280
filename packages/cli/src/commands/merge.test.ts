import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
import { schemaErrors } from '../../../scanner-core/src/testing/sarif-validate.js';
import { runCli } from '../testing/run-cli.js';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-merge-'));
  writeFileSync(join(root, 'a.txt'), `a=${fakeGithubToken(31)}\n`);
  writeFileSync(join(root, 'b.txt'), `b=${fakeGithubToken(32)}\n\nc=${fakeGithubToken(33)}\n`);
  return root;
}

describe('leakguard merge', () => {
  it.each(['json', 'sarif'])('joins %s reports with overlapping findings into the full report', async (format) => {
    const root = workspace();
    await runCli(['dir', 'a.txt', 'b.txt', '-f', format, '-o', 'all'], { cwd: root });
    await runCli(['dir', 'a.txt', 'b.txt', '-f', format, '-o', 'one'], { cwd: root });
    await runCli(['dir', 'b.txt', '-f', format, '-o', 'two'], { cwd: root });
    const merged = await runCli(['merge', 'one', 'two', '-o', 'merged'], { cwd: root });
    expect(merged.exitCode).toBe(1);
    const read = (f: string): unknown => JSON.parse(readFileSync(join(root, f), 'utf8'));
    if (format === 'json') {
      const keys = (r: unknown): string[] =>
        (r as { findings: { locationFingerprint: string }[] }).findings.map((f) => f.locationFingerprint).sort();
      expect(keys(read('merged'))).toEqual(keys(read('all')));
      expect(keys(read('merged'))).toHaveLength(3);
    } else {
      const log = read('merged') as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
      expect(log.runs[0]?.results).toHaveLength(3);
      expect(schemaErrors(log)).toEqual([]);
    }
  });

  it('combines one secret seen by several shard reports into one grouped entry with every place', async () => {
    const root = workspace();
    const shared = fakeGithubToken(34);
    writeFileSync(join(root, 'c.txt'), `x=${shared}\n`);
    writeFileSync(join(root, 'd.txt'), `\n\ny=${shared}\n`);
    await runCli(['dir', 'c.txt', '-f', 'json', '-o', 'c.json'], { cwd: root });
    await runCli(['dir', 'd.txt', '-f', 'json', '-o', 'd.json'], { cwd: root });
    await runCli(['merge', 'c.json', 'd.json', '-o', 'cd.json'], { cwd: root });
    const merged = JSON.parse(readFileSync(join(root, 'cd.json'), 'utf8')) as {
      findings: { occurrences: number; location: { path: string }; locations: { path: string; line: number }[] }[];
    };
    expect(merged.findings).toHaveLength(1);
    expect(merged.findings[0]?.occurrences).toBe(2);
    expect(merged.findings[0]?.location.path).toBe('c.txt');
    expect(merged.findings[0]?.locations.map((l) => `${l.path}:${l.line}`)).toEqual(['c.txt:1', 'd.txt:3']);
  });

  it.each([
    ['garbage.json', '{"findings": [', /garbage\.json: not a JSON or SARIF report/],
    ['other.json', '{"hello": 1}', /other\.json: neither a leakguard JSON report nor a SARIF 2\.1\.0 log/],
    ['bad.sarif', '{"version":"2.1.0","runs":[{"results":[]}]}', /bad\.sarif: SARIF runs\[0\] lacks tool or results/],
    ['bad-finding.json', '{"findings":[{"rule":1}],"summary":{}}', /bad-finding\.json: findings\[0\] is not a leakguard finding/],
  ])('rejects malformed %s with one line and exit 2', async (name, text, message) => {
    const root = workspace();
    writeFileSync(join(root, name), text);
    const result = await runCli(['merge', name], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
