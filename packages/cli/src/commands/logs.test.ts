import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
// Fake tokens are built at run time: the repository scans itself clean.
const FAKE_GHP_1 = fakeGithubToken(9100, 'ghp');
const FAKE_GHO_2 = fakeGithubToken(9101, 'gho');

const TOKEN = FAKE_GHP_1;
const TOKEN2 = FAKE_GHO_2;

async function logDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leakguard-cli-logs-'));
  const lines = Array.from({ length: 50 }, (_, i) => `2024-01-01T00:00:${String(i).padStart(2, '0')}Z GET /x auth=${TOKEN}`);
  await writeFile(join(dir, 'app.log'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'app.log.1.gz'), gzipSync(`old ${TOKEN2}\nquiet line\n`));
  return dir;
}

describe('leakguard logs', () => {
  it('reports one finding per secret with occurrences and last place; exit 1; no secret in the output', async () => {
    const dir = await logDir();
    const result = await runCli(['logs', '.', '--format', 'json', '--no-color'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { rule: string; location: Record<string, unknown> }[] };
    expect(report.findings.map((f) => [f.rule, f.location['path'], f.location['line'], f.location['occurrences']])).toEqual([
      ['github.oauth-token', 'app.log.1.gz', 1, undefined],
      ['github.pat-classic', 'app.log', 1, 50],
    ]);
    expect(report.findings[1]?.location).toMatchObject({ timestamp: '2024-01-01T00:00:00Z', lastLine: 50, lastTimestamp: '2024-01-01T00:00:49Z' });
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.stdout + result.stderr).not.toContain(TOKEN2);
    const every = await runCli(['logs', 'app.log', '--all-occurrences', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(every.stdout) as { findings: unknown[] }).findings).toHaveLength(50);
  });

  it('reads stdin for -, and exits 0 on clean input', async () => {
    const hit = await runCli(['logs', '-', '--format', 'json'], { stdin: gzipSync(`x ${TOKEN}\n`) });
    expect(hit.exitCode).toBe(1);
    expect(hit.stdout).toContain('"path":"<stdin>"');
    const clean = await runCli(['logs', '-'], { stdin: 'nothing to see\n' });
    expect(clean.exitCode).toBe(0);
  });

  it('reads a named pipe by path as a stream (process substitution, /dev/stdin), gzip included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leakguard-cli-logs-fifo-'));
    const fifo = join(dir, 'kubectl-logs');
    execFileSync('mkfifo', [fifo]);
    // The writer's open() waits for the scan to open the pipe for reading.
    const writer = createWriteStream(fifo);
    writer.end(gzipSync(`2024-01-01T00:00:00Z GET /x auth=${TOKEN}\n`));
    const result = await runCli(['logs', fifo, '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { location: Record<string, unknown> }[] };
    expect(report.findings.map((f) => [f.location['path'], f.location['line'], f.location['timestamp']])).toEqual([['kubectl-logs', 1, '2024-01-01T00:00:00Z']]);
  });

  it('--state: the second run reports only what was appended, and the state is written after the report', async () => {
    const dir = await logDir();
    const first = await runCli(['logs', '.', '--state', 'state.json', '-o', 'report.json', '-f', 'json'], { cwd: dir });
    expect(first.exitCode).toBe(1);
    const again = await runCli(['logs', 'app.log', 'app.log.1.gz', '--state', 'state.json'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    await writeFile(join(dir, 'app.log'), `${await readFile(join(dir, 'app.log'), 'utf8')}new ${TOKEN2}\n`);
    const third = await runCli(['logs', 'app.log', 'app.log.1.gz', '--state', 'state.json', '-f', 'json'], { cwd: dir });
    expect(third.exitCode).toBe(1);
    const report = JSON.parse(third.stdout) as { findings: { location: Record<string, unknown> }[] };
    expect(report.findings.map((f) => [f.location['path'], f.location['line']])).toEqual([['app.log', 51]]);
  });

  it('--redact-to writes redacted copies, gzip kept gzip', async () => {
    const dir = await logDir();
    const result = await runCli(['logs', '.', '--redact-to', 'clean'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const plain = await readFile(join(dir, 'clean', 'app.log'), 'utf8');
    expect(plain.split('\n')[0]).toBe('2024-01-01T00:00:00Z GET /x auth=[REDACTED:github.pat-classic]');
    expect(plain).not.toContain(TOKEN);
    expect(gunzipSync(await readFile(join(dir, 'clean', 'app.log.1.gz'))).toString()).toBe('old [REDACTED:github.oauth-token]\nquiet line\n');
  });

  it('--redact-to on a log larger than the memory windows are lent from: the copy is the log with each token replaced', async () => {
    // 40 MB: the windows' ring (24 MB) is reused, so a window released before its redacted copy was made would show.
    const dir = await mkdtemp(join(tmpdir(), 'leakguard-cli-logs-big-'));
    const tokens = Array.from({ length: 40 }, (_, i) => fakeGithubToken(9200 + i));
    const line = (i: number): string => `2024-01-01T00:00:00Z worker=${i % 7} request served in ${i % 997} ms path=/api/v1/items/${i}`;
    const original: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 520_000; i++) {
      const token = i % 13_000 === 6_500 ? tokens[i / 13_000 - 0.5] : undefined;
      original.push(token === undefined ? line(i) : `${line(i)} auth=${token}`);
      expected.push(token === undefined ? line(i) : `${line(i)} auth=[REDACTED:github.pat-classic]`);
    }
    await writeFile(join(dir, 'big.log'), `${original.join('\n')}\n`);
    const result = await runCli(['logs', 'big.log', '--redact-to', 'clean', '--jobs', '2'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const copy = await readFile(join(dir, 'clean', 'big.log'), 'utf8');
    expect(copy.length).toBeGreaterThan(40e6);
    expect(copy === `${expected.join('\n')}\n`).toBe(true);
  });

  it('a missing input is a one-line error with exit 2; --state with --redact-to is a usage error', async () => {
    const dir = await logDir();
    const missing = await runCli(['logs', 'nope.log'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('leakguard: nope.log: cannot read (ENOENT)\n');
    const both = await runCli(['logs', '.', '--state', 's.json', '--redact-to', 'x'], { cwd: dir });
    expect(both.exitCode).toBe(2);
  });
});
