import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../packages/cli/src/testing/run-cli.js';
import { fakeGithubToken } from '../packages/scanner-core/src/testing/fake-tokens.js';

interface Report {
  findings: { rule: string; locationFingerprint: string; location: { path: string; line: number } }[];
}

const root = mkdtempSync(join(tmpdir(), 'leakguard-shard-'));
for (let d = 0; d < 5; d++) {
  mkdirSync(join(root, `dir${d}`));
  for (let f = 0; f < 8; f++) writeFileSync(join(root, `dir${d}`, `f${f}.env`), `A=1\nTOKEN=${fakeGithubToken(d * 100 + f)}\n`);
}

const read = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;
const keys = (r: Report): string[] => r.findings.map((f) => `${f.rule} ${f.location.path}:${f.location.line} ${f.locationFingerprint}`).sort();

describe('--shard I/N', () => {
  it.each([1, 2, 3, 4, 5])('dir: the merged union of %i shard reports equals the single-machine report', async (n) => {
    await runCli(['dir', '.', '-f', 'json', '-o', 'full.json'], { cwd: root });
    const full = read(join(root, 'full.json'));
    expect(full.findings).toHaveLength(40);
    const parts: string[] = [];
    let total = 0;
    for (let i = 1; i <= n; i++) {
      const out = `shard-${n}-${i}.json`;
      await runCli(['dir', '.', '-f', 'json', '-o', out, '--shard', `${i}/${n}`], { cwd: root });
      total += read(join(root, out)).findings.length;
      parts.push(out);
    }
    expect(total).toBe(40); // disjoint: no finding in two shards
    const merged = await runCli(['merge', ...parts, '-o', `merged-${n}.json`], { cwd: root });
    expect(merged.exitCode).toBe(1);
    expect(keys(read(join(root, `merged-${n}.json`)))).toEqual(keys(full));
  });

  it('rejects a malformed shard with exit 2', async () => {
    const result = await runCli(['dir', '.', '--shard', '6/5'], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--shard 6/5: need 1 ≤ I ≤ N');
  });
});
