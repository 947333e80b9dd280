import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { lg, places, report, scratch, token, warningLines } from './hostile-kit.js';

/** A log of `lines` lines, with a token on line 2 and on the last line. */
function logText(lines: number): string {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) out.push(i === 2 ? `2024-01-01 auth T=${token(1)}` : i === lines ? `2024-01-01 end T=${token(2)}` : `2024-01-01 line ${i} ${'x'.repeat(i % 50)}`);
  return `${out.join('\n')}\n`;
}

describe('hostile compressed input: logs', () => {
  it('a truncated .gz log: warning naming the file and how much was decoded; the lines before the cut are reported', async () => {
    const dir = scratch('gz-truncated');
    const gz = gzipSync(logText(20_000));
    writeFileSync(join(dir, 'app.log.1.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const result = await lg(['logs', '.', '-f', 'json', '--all-occurrences'], { cwd: dir });
    const warnings = report(result).summary.warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.input).toBe('app.log.1.gz');
    expect(warnings[0]?.message).toMatch(/^gzip data is truncated \(unexpected end of file\); the \d+ bytes decoded before it were scanned$/);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['app.log.1.gz:2']);
    expect(result.exitCode).toBe(1);
  });

  it('a corrupt .gz log (bytes overwritten mid-stream): warning, lines before the damage reported', async () => {
    const dir = scratch('gz-corrupt');
    const gz = gzipSync(logText(20_000));
    gz.fill(0xff, Math.floor(gz.length / 2), Math.floor(gz.length / 2) + 64);
    writeFileSync(join(dir, 'app.log.2.gz'), gz);
    const result = await lg(['logs', '.', '-f', 'json', '--all-occurrences'], { cwd: dir });
    const warnings = report(result).summary.warnings;
    expect(warnings.map((w) => w.input)).toEqual(['app.log.2.gz']);
    expect(warnings[0]?.message).toMatch(/^gzip data is corrupt \(.+\); the \d+ bytes decoded before it were scanned$/);
    expect(places(report(result))).toEqual(['app.log.2.gz:2']);
  });

  it('a file named .gz that is not gzip is read as plain text (compression by magic bytes, not name)', async () => {
    const dir = scratch('gz-fake');
    writeFileSync(join(dir, 'fake.log.gz'), logText(5));
    const result = await lg(['logs', '.', '-f', 'json', '--all-occurrences'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(places(report(result))).toEqual(['fake.log.gz:2', 'fake.log.gz:5']);
  });

  it('a gzip bomb log stops at --max-decoded-size with a warning naming the file and the limit', async () => {
    const dir = scratch('gz-bomb');
    const bomb = gzipSync(Buffer.concat([Buffer.from(`T=${token(1)}\n`), Buffer.alloc(256 * 1024 * 1024, 'a')]), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    writeFileSync(join(dir, 'bomb.log.gz'), bomb);
    const result = await lg(['logs', '.', '-f', 'json', '--max-decoded-size', '10000000'], { cwd: dir });
    const warnings = [{ input: 'bomb.log.gz', message: 'decoded size exceeds 10000000 bytes; the rest of the archive is not scanned' }];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['bomb.log.gz:1']);
  });

  it('a gzip bomb log stops at --max-decompression-ratio after the 64 MiB grace; --strict then exits 2', async () => {
    const dir = scratch('gz-ratio');
    writeFileSync(join(dir, 'ratio.log.gz'), gzipSync(Buffer.concat([Buffer.from(`T=${token(1)}\n`), Buffer.alloc(256 * 1024 * 1024, 'a')]), { level: 9 }));
    const result = await lg(['logs', '.', '-f', 'json', '--max-decompression-ratio', '100', '--strict'], { cwd: dir });
    const warnings = [{ input: 'ratio.log.gz', message: 'decompression ratio exceeds 100:1 (possible decompression bomb); the rest of the archive is not scanned' }];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(`${warningLines(warnings)}leakguard: --strict: 1 warning (input skipped or cut short); exit 2\n`);
    expect(result.exitCode).toBe(2);
    expect(places(report(result))).toEqual(['ratio.log.gz:1']);
  });
});

describe('hostile compressed input: dir mode does not inflate archives', () => {
  it('a zip bomb and a gzip bomb in a tree are sniffed as binary and skipped unread (counted, not silent)', async () => {
    const dir = scratch('bombs');
    writeFileSync(join(dir, 'zeros'), '');
    execFileSync('truncate', ['-s', '200M', join(dir, 'zeros')]);
    execFileSync('zip', ['-q', '-9', 'bomb.zip', 'zeros'], { cwd: dir });
    execFileSync('gzip', ['-9', 'zeros'], { cwd: dir });
    writeFileSync(join(dir, 'a.env'), `T=${token(1)}\n`);
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(report(result).summary).toMatchObject({ skipped: { binary: 2 }, itemsScanned: 1 });
    expect(places(report(result))).toEqual(['a.env:1']);
  });
});
