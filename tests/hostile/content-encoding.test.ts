import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lg, lgChild, report, scratch, token, warningLines } from './hostile-kit.js';

/** Finding positions as `line:column-endColumn`, in report order. */
function positions(stdout: string): string[] {
  const parsed = JSON.parse(stdout) as { findings: { location: { line: number; column: number; endColumn: number } }[] };
  return parsed.findings.map((f) => `${f.location.line}:${f.location.column}-${f.location.endColumn}`);
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

async function scanFile(name: string, content: Buffer | string): Promise<Awaited<ReturnType<typeof lg>>> {
  const root = scratch('content');
  writeFileSync(join(root, name), content);
  return lg(['dir', '.', '-f', 'json', '--no-group'], { cwd: root });
}

describe('hostile content: encodings, line endings, huge lines', () => {
  const body = `first line\nTOKEN=${token(1)}\n`;

  it.each([
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')])],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(body)])],
    ['UTF-16LE without BOM', Buffer.from(body, 'utf16le')],
    ['UTF-16BE without BOM', utf16be(body)],
  ])('%s is transcoded and scanned, not skipped as binary', async (_name, bytes) => {
    const result = await scanFile('utf16.txt', bytes);
    expect(result.stderr).toBe('');
    expect(positions(result.stdout)).toEqual(['2:7-47']);
    expect(report(result).summary).toMatchObject({ skipped: {}, itemsScanned: 1 });
    expect(result.exitCode).toBe(1);
  });

  it('Windows CRLF: lines count right and the secret does not take the \\r', async () => {
    const result = await scanFile('crlf.env', `A=1\r\nTOKEN=${token(1)}\r\n\r\nB=${token(2)}\r\n`);
    expect(positions(result.stdout)).toEqual(['2:7-47', '4:3-43']);
    expect(result.exitCode).toBe(1);
  });

  it('a UTF-8 BOM does not shift columns or hide a secret at the very start', async () => {
    const result = await scanFile('bom.env', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${token(1)}\nB=${token(2)}\n`)]));
    expect(positions(result.stdout)).toEqual(['1:1-41', '2:3-43']);
  });

  it('a 50 MB minified single line: secrets at the start, across the 8 MiB window seam and at the end are each found once', async () => {
    const size = 50 * 1024 * 1024;
    const line = Buffer.alloc(size, 'a=1;');
    const secrets = [token(1), token(2), token(3)];
    const at = [10, 8 * 1024 * 1024 - 30, size - 60];
    secrets.forEach((s, i) => line.write(`;T="${s}";`, at[i] ?? 0));
    const result = await scanFile('app.min.js', line);
    expect(result.stderr).toBe('');
    expect(positions(result.stdout)).toEqual(at.map((a) => `1:${a + 5}-${a + 45}`));
    expect(report(result).summary).toMatchObject({ itemsScanned: 1, bytesScanned: size, warnings: [] });
  });

  it('NUL-heavy text is binary by git\'s rule (a NUL in the first 8000 bytes): skipped and counted, never silently', async () => {
    const nulHeavy = Buffer.concat([Buffer.from(`TOKEN=${token(1)}\n`), Buffer.alloc(4096), Buffer.from('tail\n')]);
    const result = await scanFile('records.dat', nulHeavy);
    expect(result.stderr).toBe('');
    expect(report(result).summary).toMatchObject({ findings: 0, skipped: { binary: 1 }, itemsScanned: 0 });
    expect(result.exitCode).toBe(0);
  });

  it('NUL bytes after the first 8000 bytes do not stop the scan: text found on both sides', async () => {
    const content = Buffer.concat([Buffer.from(`A=${token(1)}\n`), Buffer.alloc(9000, 'x'), Buffer.from('\n'), Buffer.alloc(64), Buffer.from(`\nB=${token(2)}\n`)]);
    const result = await scanFile('late-nul.txt', content);
    expect(positions(result.stdout)).toEqual(['1:3-43', '4:3-43']);
  });
});

describe('hostile stdin', () => {
  it('endless text on stdin stops at --max-file-size with a warning; what was read is reported (built CLI, real pipe)', async () => {
    const result = await lgChild(['stdin', '-f', 'json', '--max-file-size', '5000000'], { stdinFrom: ['yes', `T=${token(1)}`] });
    const warnings = [{ input: '<stdin>', message: 'input exceeds --max-file-size (5000000 bytes); the rest is not scanned' }];
    expect(result.stderr).toBe(warningLines(warnings));
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as ReturnType<typeof report>;
    expect(parsed.summary).toMatchObject({ warnings, bytesScanned: 5_000_000, partial: false });
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]?.occurrences).toBe(Math.floor(5_000_000 / (token(1).length + 3)));
  });

  it('/dev/zero on stdin is sniffed as binary from its first bytes and not read on (no limit needed)', async () => {
    const result = await lgChild(['stdin', '-f', 'json', '--max-file-size', '0'], { stdinFrom: ['cat', '/dev/zero'] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as ReturnType<typeof report>).summary).toMatchObject({ skipped: { binary: 1 }, bytesScanned: 0 });
  });

  it('CRLF and a UTF-16 BOM on stdin are handled like files', async () => {
    const crlf = await lg(['stdin', '-f', 'json', '--no-group'], { stdin: `x\r\nT=${token(1)}\r\n` });
    expect(positions(crlf.stdout)).toEqual(['2:3-43']);
    const utf16 = await lg(['stdin', '-f', 'json', '--no-group'], { stdin: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`x\nT=${token(1)}\n`, 'utf16le')]) });
    expect(positions(utf16.stdout)).toEqual(['2:3-43']);
  });
});
