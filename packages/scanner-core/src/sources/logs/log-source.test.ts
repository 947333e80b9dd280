import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LOG_WINDOW } from './log-source.js';
import { collectLogScan, fakeToken, tempDir } from './log-test-kit.js';
import { fakeGithubToken } from '../../testing/fake-tokens.js';
// Fake tokens are built at run time: the repository scans itself clean.
const FAKE_GHP_1 = fakeGithubToken(9111, 'ghp');
const FAKE_GHP_2 = fakeGithubToken(9112, 'ghp');
const FAKE_GHO_3 = fakeGithubToken(9113, 'gho');
const FAKE_GHS_4 = fakeGithubToken(9114, 'ghs');

const TOKEN = FAKE_GHP_1;
const TOKEN2 = FAKE_GHP_2;

describe('LogSource + scanLogs', () => {
  it('reports file, decoded line, column, offset and the line timestamp', async () => {
    const dir = await tempDir('logs');
    const text = [
      '2024-03-01T10:00:00Z INFO start',
      `2024-03-01T10:00:01.250+01:00 DEBUG token=${TOKEN}`,
      `Oct  3 13:55:36 host app[1]: auth ${TOKEN2}`,
      `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /?t=${FAKE_GHO_3} HTTP/1.1" 200`,
      `no stamp here ${FAKE_GHS_4}`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'app.log'), text);
    const { findings } = await collectLogScan(['app.log'], { cwd: dir });
    expect(findings.map((f) => [f.rule.id, f.secret.reveal(), f.location.line, f.origin.kind === 'log' ? f.origin.timestamp : 'x'])).toEqual([
      ['github.pat-classic', TOKEN, 2, '2024-03-01T10:00:01.250+01:00'],
      ['github.pat-classic', TOKEN2, 3, 'Oct  3 13:55:36'],
      ['github.oauth-token', FAKE_GHO_3, 4, '10/Oct/2000:13:55:36 -0700'],
      ['github.app-token', FAKE_GHS_4, 5, undefined],
    ]);
    const first = findings[0];
    expect(first?.origin.path).toBe('app.log');
    expect(first?.location.column).toBe('2024-03-01T10:00:01.250+01:00 DEBUG token='.length + 1);
    expect(first?.location.offset).toBe(text.indexOf(TOKEN));
  });

  it('walks directories and globs, reading a rotated series oldest first, gzip by magic bytes', async () => {
    const dir = await tempDir('rotated');
    await mkdir(join(dir, 'app'));
    await writeFile(join(dir, 'app', 'app.log'), `newest ${TOKEN}\n`);
    await writeFile(join(dir, 'app', 'app.log.1'), `middle ${TOKEN}\n`);
    await writeFile(join(dir, 'app', 'app.log.2.gz'), gzipSync(`oldest ${TOKEN}\n`));
    await writeFile(join(dir, 'app', 'app.log.3'), gzipSync(`older still ${TOKEN}\n`)); // gzip without the suffix
    const all = await collectLogScan(['app'], { cwd: dir }, { allOccurrences: true });
    expect(all.findings.map((f) => f.origin.path)).toEqual(['app/app.log.3', 'app/app.log.2.gz', 'app/app.log.1', 'app/app.log']);
    expect(all.findings.map((f) => (f.origin.kind === 'log' ? f.origin.compression : 'x'))).toEqual(['gzip', 'gzip', undefined, undefined]);
    const globbed = await collectLogScan(['app/*.gz'], { cwd: dir }, { allOccurrences: true });
    expect(globbed.findings.map((f) => f.origin.path)).toEqual(['app/app.log.2.gz']);
    const deduped = await collectLogScan(['app'], { cwd: dir });
    expect(deduped.findings).toHaveLength(1);
    expect(deduped.findings[0]?.origin).toMatchObject({ path: 'app/app.log.3', occurrences: 4, lastPath: 'app/app.log', lastLine: 1 });
  });

  it('folds 100,000 occurrences of one secret into one finding with first and last location', async () => {
    const dir = await tempDir('dedupe');
    const lines: string[] = [];
    for (let i = 1; i <= 100_000; i++) lines.push(`2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z req ${i} auth=${TOKEN}`);
    lines.push(`other ${TOKEN2}`);
    await writeFile(join(dir, 'big.log'), `${lines.join('\n')}\n`);
    const { findings, summary } = await collectLogScan(['big.log'], { cwd: dir });
    expect(summary.findings).toBe(2);
    expect(findings.map((f) => f.secret.reveal())).toEqual([TOKEN, TOKEN2]);
    expect(findings[0]?.location.line).toBe(1);
    expect(findings[0]?.origin).toMatchObject({ occurrences: 100_000, lastLine: 100_000, lastTimestamp: '2024-01-01T00:00:40Z' });
    const every = await collectLogScan(['big.log'], { cwd: dir }, { allOccurrences: true });
    expect(every.findings).toHaveLength(100_001);
  });

  it('handles CRLF line ends', async () => {
    const dir = await tempDir('crlf');
    await writeFile(join(dir, 'win.log'), `2024-01-01 10:00:00 start\r\n2024-01-01 10:00:01 token=${TOKEN}\r\nend\r\n`);
    const { findings } = await collectLogScan(['win.log'], { cwd: dir });
    expect(findings.map((f) => [f.secret.reveal(), f.location.line, f.location.column])).toEqual([[TOKEN, 2, 27]]);
    expect(findings[0]?.origin).toMatchObject({ timestamp: '2024-01-01 10:00:01' });
  });

  it('scans text with binary garbage in it, and skips a file that is mostly binary', async () => {
    const dir = await tempDir('binary');
    const garbage = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256));
    await writeFile(join(dir, 'mixed.log'), Buffer.concat([Buffer.from('start\n'), garbage, Buffer.from(`\nline token=${TOKEN}\n`), garbage]));
    await writeFile(join(dir, 'wtmp'), Buffer.concat([Buffer.alloc(20_000), Buffer.from(TOKEN2), Buffer.alloc(100)]));
    const { findings, summary } = await collectLogScan(['.'], { cwd: dir });
    expect(findings.map((f) => [f.origin.path, f.secret.reveal()])).toEqual([['mixed.log', TOKEN]]);
    expect(summary.skipped).toEqual({ binary: 1 });
  });

  it('scans a 20 MB single line in overlapping windows and finds secrets at window edges', async () => {
    const dir = await tempDir('longline');
    const size = 20 * 1024 * 1024;
    const line = Buffer.alloc(size, 'a=1&');
    const tokens = [fakeToken(), fakeToken(), fakeToken()];
    // The second straddles the end of what the first window owns (window size - half the overlap).
    const places = [1000, LOG_WINDOW.windowSize - LOG_WINDOW.overlap / 2 - 20, size - 200];
    tokens.forEach((t, i) => line.write(` ${t} `, places[i] ?? 0));
    await writeFile(join(dir, 'long.log'), Buffer.concat([line, Buffer.from('\n')]));
    const { findings, summary } = await collectLogScan(['long.log'], { cwd: dir });
    expect(findings.map((f) => [f.secret.reveal(), f.location.line, f.location.offset])).toEqual(tokens.map((t, i) => [t, 1, (places[i] ?? 0) + 1]));
    expect(findings[2]?.location.column).toBe(size - 200 + 2);
    expect(summary.bytesScanned).toBe(size + 1);
  });

  it('finds a PEM private key logged across 30 lines of a stack trace', async () => {
    const dir = await tempDir('pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const body = privateKey.split('\n').filter((l) => l !== '' && !l.startsWith('-----')).join('');
    const width = Math.ceil(body.length / 28);
    const bodyLines = body.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', ...bodyLines, '-----END RSA PRIVATE KEY-----'];
    expect(pem).toHaveLength(30);
    const log = [
      '2024-05-05T12:00:00Z ERROR failed to parse config: unexpected key material',
      ...pem,
      '    at parseConfig (/srv/app/config.js:41:13)',
      '    at main (/srv/app/index.js:7:3)',
      '',
    ].join('\n');
    await writeFile(join(dir, 'trace.log'), log);
    const { findings } = await collectLogScan(['trace.log'], { cwd: dir });
    expect(findings.map((f) => [f.rule.id, f.location.line, f.location.endLine])).toEqual([['private-key.rsa', 2, 31]]);
    // The key's own line has no timestamp; only a line that starts with one gives its finding a timestamp.
    expect(findings[0]?.origin).not.toHaveProperty('timestamp');
  });

  it('a missing named file is an input error; a glob matching nothing is a warning', async () => {
    const dir = await tempDir('missing');
    await expect(collectLogScan(['nope.log'], { cwd: dir })).rejects.toThrow(/nope\.log: cannot read \(ENOENT\)/);
    const { summary } = await collectLogScan(['*.log'], { cwd: dir });
    expect(summary.warnings).toEqual([{ input: '*.log', message: 'no files match this pattern' }]);
  });
});
