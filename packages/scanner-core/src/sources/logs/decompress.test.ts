import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeStream, detectCompression, zstdWindowSize } from './decompress.js';
import { collectLogScan, fakeToken, tempDir } from './log-test-kit.js';
import { fakeGithubToken } from '../../testing/fake-tokens.js';
// Fake tokens are built at run time: the repository scans itself clean.
const FAKE_GHP_1 = fakeGithubToken(9108, 'ghp');

const TOKEN = FAKE_GHP_1;

async function decodeAll(data: Buffer, limits?: Parameters<typeof decodeStream>[3]): Promise<{ text: Buffer; warnings: string[] }> {
  const warnings: string[] = [];
  const pieces: Buffer[] = [];
  async function* input(): AsyncGenerator<Buffer> {
    for (let i = 0; i < data.length; i += 1000) yield data.subarray(i, i + 1000);
  }
  for await (const piece of decodeStream(input(), detectCompression(data), (m) => warnings.push(m), limits)) pieces.push(piece);
  return { text: Buffer.concat(pieces), warnings };
}

/** `lines` log lines with a token on every 500th (the first one `first`, the others TOKEN). */
function logText(lines: number, first = TOKEN): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const token = i % 500 === 250 ? ` token=${i === 250 ? first : TOKEN}` : '';
    out.push(`2024-01-01T00:00:00Z INFO request ${i} took ${(i * 37) % 1000}ms${token}`);
  }
  return `${out.join('\n')}\n`;
}

describe('decodeStream', () => {
  it('decodes concatenated gzip members written by node:zlib', async () => {
    const parts = ['first member\n', 'second member\n', 'third\n'];
    const { text, warnings } = await decodeAll(Buffer.concat(parts.map((p) => gzipSync(p))));
    expect(text.toString()).toBe(parts.join(''));
    expect(warnings).toEqual([]);
  });

  it('decodes files written by the gzip and zstd command-line tools', async () => {
    const dir = await tempDir('cli-archives');
    const plain = logText(20_000);
    await writeFile(join(dir, 'a.log'), plain);
    await writeFile(join(dir, 'b.log'), plain);
    execFileSync('gzip', ['-9', join(dir, 'a.log')]);
    execFileSync('zstd', ['-q', '--rm', '-19', join(dir, 'b.log')]);
    for (const name of ['a.log.gz', 'b.log.zst']) {
      const { text, warnings } = await decodeAll(await readFile(join(dir, name)));
      expect(text.toString()).toBe(plain);
      expect(warnings).toEqual([]);
    }
  });

  it('reads a truncated gzip up to the damage and warns', async () => {
    const plain = logText(50_000);
    const gz = gzipSync(plain);
    const { text, warnings } = await decodeAll(gz.subarray(0, gz.length - 5000));
    expect(text.length).toBeGreaterThan(plain.length * 0.5);
    expect(plain.startsWith(text.toString())).toBe(true);
    expect(warnings).toEqual([expect.stringMatching(/^gzip data is truncated \(unexpected end of file\); the \d+ bytes decoded before it were scanned$/)]);
  });

  it('stops a decompression bomb at the ratio limit with a warning', async () => {
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024, 'A'));
    const { text, warnings } = await decodeAll(bomb, { maxDecodedBytes: 1e12, maxRatio: 500, maxZstdWindow: 1e9 });
    expect(text.length).toBeLessThan(80 * 1024 * 1024);
    expect(warnings).toEqual([expect.stringContaining('decompression ratio exceeds 500:1')]);
    const capped = await decodeAll(gzipSync(Buffer.alloc(1024 * 1024, 'B')), { maxDecodedBytes: 100_000, maxRatio: 1e9, maxZstdWindow: 1e9 });
    expect(capped.warnings).toEqual([expect.stringContaining('decoded size exceeds 100000 bytes')]);
  });

  it('refuses a zstd frame whose declared window exceeds the limit, before decoding', async () => {
    // Frame header: magic, descriptor 0 (windowed, no checksum), window descriptor 0x88 = 2^(10+17) bytes.
    const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x88]);
    expect(zstdWindowSize(header)).toBe(2 ** 27);
    const dir = await tempDir('zstd-window');
    await writeFile(join(dir, 'x.log'), logText(1000));
    execFileSync('zstd', ['-q', join(dir, 'x.log')]);
    expect(zstdWindowSize(await readFile(join(dir, 'x.log.zst')))).toBeLessThan(2 ** 20);
    const { text, warnings } = await decodeAll(Buffer.concat([header, Buffer.alloc(100)]), { maxDecodedBytes: 1e12, maxRatio: 1e9, maxZstdWindow: 64 * 1024 * 1024 });
    expect(text.length).toBe(0);
    expect(warnings).toEqual(['zstd window of 134217728 bytes exceeds the 67108864-byte limit; not scanned']);
  });
});

describe('logs over archives', () => {
  it('a truncated .gz: warning naming the file, everything before the damage scanned, later files still scanned', async () => {
    const dir = await tempDir('truncated');
    const early = fakeToken();
    const plain = `${logText(2000, early)}${logText(60_000)}`;
    const gz = gzipSync(plain);
    await writeFile(join(dir, 'app.log.1.gz'), gz.subarray(0, gz.length - 3000));
    await writeFile(join(dir, 'app.log'), `after ${fakeToken('gho')}\n`);
    const { findings, summary } = await collectLogScan(['.'], { cwd: dir });
    expect(findings.map((f) => f.origin.path)).toEqual(['app.log.1.gz', 'app.log.1.gz', 'app.log']);
    expect(findings[0]?.secret.reveal()).toBe(early);
    expect(summary.warnings).toEqual([{ input: 'app.log.1.gz', message: expect.stringMatching(/^gzip data is truncated/) }]);
  });

  it('a zstd archive from the zstd tool and a truncated one', async () => {
    const dir = await tempDir('zst');
    await writeFile(join(dir, 'app.log'), logText(5000));
    execFileSync('zstd', ['-q', '--rm', join(dir, 'app.log')]);
    const whole = await readFile(join(dir, 'app.log.zst'));
    await writeFile(join(dir, 'cut.log.zst'), whole.subarray(0, whole.length - 100));
    const { findings, summary } = await collectLogScan(['.'], { cwd: dir }, { allOccurrences: true });
    expect(findings.filter((f) => f.origin.path === 'app.log.zst')).toHaveLength(10);
    expect(findings[0]).toMatchObject({ origin: { compression: 'zstd' }, location: { line: 251 } });
    expect(summary.warnings).toEqual([{ input: 'cut.log.zst', message: expect.stringMatching(/^zstd data is truncated or corrupt/) }]);
  });
});
