import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import { logTestEngine, tempDir } from '../sources/logs/log-test-kit.js';
import { redactFileInPlace } from './redact-file.js';
import { redactionFindings } from './redaction-findings.js';
import { StreamRedactor, type StreamRedactorOptions } from './stream-redactor.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
// Fake tokens are built at run time: the repository scans itself clean.
const FAKE_GHP_1 = fakeGithubToken(9104, 'ghp');
const FAKE_GHP_2 = fakeGithubToken(9105, 'ghp');
const FAKE_GHO_3 = fakeGithubToken(9106, 'gho');
const FAKE_GHS_4 = fakeGithubToken(9107, 'ghs');

const TOKENS = [
  FAKE_GHP_1,
  FAKE_GHP_2,
  FAKE_GHO_3,
  FAKE_GHS_4,
];
const MARK = /\[REDACTED:github\.[a-z-]+\]/g;

function redactor(options?: StreamRedactorOptions): StreamRedactor {
  return new StreamRedactor(redactionFindings({ engine: logTestEngine(), filters: [] }), options);
}

describe('StreamRedactor', () => {
  it('releases each line as soon as it is complete', () => {
    const r = redactor();
    expect(r.push(Buffer.from('abc')).toString()).toBe('');
    expect(r.push(Buffer.from('def\n')).toString()).toBe('abcdef\n');
    expect(r.push(Buffer.from(`x ${TOKENS[0]}\npartial`)).toString()).toBe('x [REDACTED:github.pat-classic]\n');
    expect(r.end().toString()).toBe('partial');
    expect(r.redactions).toBe(1);
  });

  it('passes binary and invalid UTF-8 through byte for byte', () => {
    const r = redactor();
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0d, 0x80, 0x0a, 0xe2, 0x82]);
    const input = Buffer.concat([garbage, Buffer.from(` ${TOKENS[1]} `), garbage, Buffer.from('\r\n')]);
    const out = Buffer.concat([r.push(input), r.end()]);
    expect(out).toEqual(Buffer.concat([garbage, Buffer.from(' [REDACTED:github.pat-classic] '), garbage, Buffer.from('\r\n')]));
  });

  it('redacts a token written with JSON escapes in its raw form', () => {
    const r = redactor();
    const escaped = `\\u0067ho_${TOKENS[2]!.slice(4)}`;
    const out = Buffer.concat([r.push(Buffer.from(`{"msg":"auth ${escaped}","p":"a\\/b"}\n`)), r.end()]).toString();
    expect(out).toBe('{"msg":"auth [REDACTED:github.oauth-token]","p":"a\\/b"}\n');
  });

  it('windows a line longer than the window, holding back only half the overlap, and redacts across the cut', () => {
    const r = redactor({ windowSize: 64 * 1024, overlap: 8 * 1024 });
    const line = Buffer.alloc(200 * 1024, 'x=1&');
    // One token straddles the first release point (window end - half overlap), one the window end itself.
    line.write(` ${TOKENS[0]} `, 64 * 1024 - 4 * 1024 - 10);
    line.write(` ${TOKENS[1]} `, 64 * 1024 - 20);
    let released = 0;
    const outs: Buffer[] = [];
    for (let i = 0; i < line.length; i += 16 * 1024) {
      const out = r.push(line.subarray(i, i + 16 * 1024));
      released += out.length;
      outs.push(out);
      const consumed = Math.min(line.length, i + 16 * 1024);
      expect(consumed - released).toBeLessThanOrEqual(64 * 1024 + 16 * 1024); // never much more than a window pending
    }
    outs.push(r.end());
    const out = Buffer.concat(outs).toString();
    expect(out.match(MARK)).toEqual(['[REDACTED:github.pat-classic]', '[REDACTED:github.pat-classic]']);
    let k = 0;
    expect(out.replace(MARK, () => TOKENS[k++]!)).toBe(line.toString());
  });

  it('holds an open PEM block until its END line, then redacts it whole', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const lines = privateKey.trimEnd().split('\n');
    const r = redactor();
    expect(r.push(Buffer.from('2024-01-01T00:00:00Z ERROR bad key\n')).toString()).toBe('2024-01-01T00:00:00Z ERROR bad key\n');
    for (const l of lines.slice(0, -1)) expect(r.push(Buffer.from(`${l}\n`)).toString()).toBe('');
    const out = r.push(Buffer.from(`${lines.at(-1)}\n    at load (/app/x.js:1:1)\n`)).toString();
    expect(out).toBe('-----BEGIN RSA PRIVATE KEY-----[REDACTED:private-key.rsa]-----END RSA PRIVATE KEY-----\n    at load (/app/x.js:1:1)\n');
  });

  it('property: secrets re-inserted give the input back; the output has no finding', () => {
    const engine = logTestEngine();
    const segment = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => ({ bytes: Buffer.from(b), token: undefined as string | undefined })),
      fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(' ', '\n')).map(([t, end]) => ({ bytes: Buffer.from(` ${t}${end}`), token: t as string | undefined })),
      fc.constantFrom('\n', '\r\n', '{"a":"\\/', 'x'.repeat(5000), '-'.repeat(1500)).map((s) => ({ bytes: Buffer.from(s), token: undefined as string | undefined })),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 20 }), (segments, cuts) => {
        const input = Buffer.concat(segments.map((s) => Buffer.concat([Buffer.from(' '), s.bytes])));
        const r = redactor({ windowSize: 4096, overlap: 512 });
        const outs: Buffer[] = [];
        for (let i = 0, k = 0; i < input.length; k++) {
          const n = cuts[k % cuts.length] ?? 1;
          outs.push(r.push(input.subarray(i, i + n)));
          i += n;
        }
        outs.push(r.end());
        const out = Buffer.concat(outs);
        const tokens = segments.flatMap((s) => (s.token === undefined ? [] : [s.token]));
        const text = out.toString('latin1');
        expect(text.match(MARK)?.length ?? 0).toBe(tokens.length);
        let k = 0;
        expect(Buffer.from(text.replace(MARK, () => tokens[k++] ?? ''), 'latin1')).toEqual(input);
        expect(engine.scan(wholeChunk(out, { kind: 'stdin', path: '<stdin>' }))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('redactFileInPlace', () => {
  it('rewrites the file atomically, keeping its permissions', async () => {
    const dir = await tempDir('inplace');
    const file = join(dir, 'app.log');
    await writeFile(file, `a\nb ${TOKENS[3]}\nc`, { mode: 0o640 });
    await redactFileInPlace(file, redactor());
    expect(await readFile(file, 'utf8')).toBe('a\nb [REDACTED:github.app-token]\nc');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    await expect(redactFileInPlace(join(dir, 'missing.log'), redactor())).rejects.toThrow(/^--in-place .*missing\.log: cannot read \(ENOENT\)$/);
  });
});
