import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('leakguard --jobs with the built CLI', () => {
  it('scans past the worker warm-up with 2 workers and reports what 1 thread reports', () => {
    execFileSync('npx', ['tsc', '-b', 'packages/scanner-core', 'packages/cli'], { cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
    const root = mkdtempSync(join(tmpdir(), 'leakguard-jobs-'));
    const filler = 'const value = compute(input, options); // ordinary code\n'.repeat(20_000);
    for (let i = 0; i < 20; i++) writeFileSync(join(root, `f${i}.js`), `${filler}token = "${fakeGithubToken(500 + i)}"\n`);
    const out = mkdtempSync(join(tmpdir(), 'leakguard-jobs-out-'));
    const reports = [1, 2].map((jobs) => {
      const result = spawnSync(process.execPath, [bin, 'dir', '.', '-f', 'json', '-j', String(jobs), '-o', join(out, `r${jobs}.json`)], { cwd: root, encoding: 'utf8' });
      expect(result.status).toBe(1);
      return readFileSync(join(out, `r${jobs}.json`), 'utf8').replace(/"durationMs":\d+/, '"durationMs":0');
    });
    expect((JSON.parse(reports[0] ?? '{}') as { findings: unknown[] }).findings).toHaveLength(20);
    expect(reports[1]).toBe(reports[0]);
  });

  it('audits logs past the warm-up with 2 workers exactly as 1 thread does, timestamps and JSON escapes included', () => {
    const root = mkdtempSync(join(tmpdir(), 'leakguard-jobs-logs-'));
    const lines: string[] = [];
    for (let i = 0; i < 240_000; i++) {
      if (i % 12_000 === 5) lines.push(`{"time":"2024-05-01T00:00:${String(i % 60).padStart(2, '0')}Z","msg":"auth","token":"${fakeGithubToken(700 + i).replace('_', '\\u005f')}"}`);
      else if (i % 12_000 === 9) lines.push(`2024-05-02T01:02:03Z WARN retry with token=${fakeGithubToken(900 + i)}`);
      else lines.push(`2024-05-01T00:00:00Z INFO request id=${i} path=/api/v1/items status=200 ms=${i % 900}`);
    }
    writeFileSync(join(root, 'app.log'), `${lines.join('\n')}\n`);
    expect(lines.join('\n').length).toBeGreaterThan(16 * 1024 * 1024); // past the inline warm-up: workers start and match what is left once ready (log-scan-workers.test.ts has them match every window)
    const reports = [1, 2].map((jobs) => {
      const result = spawnSync(process.execPath, [bin, 'logs', 'app.log', '-f', 'json', '-j', String(jobs), '--all-occurrences', '-o', `r${jobs}.json`], { cwd: root, encoding: 'utf8' });
      expect(result.status).toBe(1);
      return readFileSync(join(root, `r${jobs}.json`), 'utf8').replace(/"durationMs":\d+/, '"durationMs":0');
    });
    const findings = (JSON.parse(reports[0] ?? '{}') as { findings: { location: { timestamp?: string } }[] }).findings;
    expect(findings).toHaveLength(40);
    expect(JSON.stringify(findings)).toContain('2024-05-02T01:02:03Z');
    expect(reports[1]).toBe(reports[0]);
  });
});
