import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { PassThrough } from 'node:stream';
import { eta, ProgressLine } from './progress-line.js';
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

  it('adds the share done and the time left when the source knows its total', () => {
    expect(eta(undefined, 10)).toBe('');
    expect(eta(0.005, 10)).toBe(''); // too early to tell
    expect(eta(0.5, 0.5)).toBe('');
    expect(eta(0.25, 5)).toBe(', 25 %, ETA 15s');
    expect(eta(0.1, 30)).toBe(', 10 %, ETA 4m30s');
    expect(eta(0.02, 100)).toBe(', 2 %, ETA 1h21m');
    expect(eta(1, 7)).toBe(', 100 %');
    const err = new PassThrough();
    let text = '';
    err.on('data', (b: Buffer) => (text += b.toString()));
    new ProgressLine(err).update({ items: 3, bytes: 2e6, findings: 1, elapsedMs: 4000, fraction: 0.5 });
    expect(text).toBe('\r\u001b[2Kscanning: 3 items, 2.0 MB, 0.5 MB/s, 1 finding, 50 %, ETA 4s');
  });

  it('shows on a log audit too, and --quiet silences it', async () => {
    const logs = mkdtempSync(join(tmpdir(), 'leakguard-progress-logs-'));
    writeFileSync(join(logs, 'app.log'), `GET /x auth=${token}\n`);
    const shown = await runCli(['logs', 'app.log', '-f', 'json'], { cwd: logs, stderrIsTTY: true });
    expect(shown.stderr).toMatch(/scanning: \d+ items, [\d.]+ MB/);
    expect(shown.stderr).not.toContain(token);
    expect((await runCli(['logs', 'app.log', '--quiet'], { cwd: logs, stderrIsTTY: true })).stderr).toBe('');
  });
});
