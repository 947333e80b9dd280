import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapedJsonRanges, unescapeJson } from './json-lines.js';
import { collectLogScan, tempDir } from './log-test-kit.js';
import { fakeGithubToken } from '../../testing/fake-tokens.js';
// Fake tokens are built at run time: the repository scans itself clean.
const FAKE_GHP_1 = fakeGithubToken(9109, 'ghp');
const FAKE_GHO_2 = fakeGithubToken(9110, 'gho');

const TOKEN = FAKE_GHP_1;

describe('unescapeJson', () => {
  it('undoes escapes and maps offsets back into the raw line', () => {
    const raw = Buffer.from('{"a":"x\\"y\\/z\\u0041\\ud83d\\ude00\\n\\q"}');
    const text = unescapeJson(raw, [[0, raw.length]]);
    expect(text.data.toString()).toBe('{"a":"x"y/zA\u{1f600}\n\\q"}\n');
    const u = text.data.indexOf('A');
    expect(raw.toString('latin1', text.rawStart(u), text.rawEnd(u + 1))).toBe('\\u0041');
    const y = text.data.indexOf('y');
    expect(text.rawStart(y)).toBe(raw.indexOf('y'));
    const emoji = text.data.indexOf(Buffer.from('\u{1f600}'));
    expect(raw.toString('latin1', text.rawStart(emoji), text.rawEnd(emoji + 4))).toBe('\\ud83d\\ude00');
  });

  it('maps every piece of several ranges back to its raw bytes, whether or not a lookup comes first (fast-check)', () => {
    // A piece is literal text or one escape, with what it unescapes to.
    const escapes: [string, string][] = [['\\/', '/'], ['\\n', '\n'], ['\\"', '"'], ['\\\\', '\\'], ['\\u0041', 'A'], ['\\ud83d\\ude00', '\u{1f600}'], ['\\q', '\\q']];
    const piece = fc.oneof(
      fc.stringMatching(/^[a-z0-9 :{},]{1,12}$/).map((text): [string, string] => [text, text]),
      fc.constantFrom(...escapes),
    );
    fc.assert(
      fc.property(fc.array(fc.array(piece, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), (lines) => {
        const raw = Buffer.from(lines.map((pieces) => pieces.map(([r]) => r).join('')).join('#'));
        const ranges: [number, number][] = [];
        let at = 0;
        for (const pieces of lines) {
          const length = Buffer.byteLength(pieces.map(([r]) => r).join(''));
          ranges.push([at, at + length]);
          at += length + 1;
        }
        const text = unescapeJson(raw, ranges);
        expect(text.data.toString()).toBe(lines.map((pieces) => `${pieces.map(([, u]) => u).join('')}\n`).join(''));
        let u = 0;
        lines.forEach((pieces, line) => {
          let r = ranges[line]?.[0] ?? 0;
          for (const [rawPiece, unescaped] of pieces) {
            const rawLength = Buffer.byteLength(rawPiece);
            const length = Buffer.byteLength(unescaped);
            if (rawPiece.startsWith('\\') && rawPiece !== '\\q') {
              expect([text.rawStart(u), text.rawEnd(u + length)]).toEqual([r, r + rawLength]);
            } else {
              for (let k = 0; k < length; k++) expect([text.rawStart(u + k), text.rawEnd(u + k + 1)]).toEqual([r + k, r + k + 1]);
            }
            u += length;
            r += rawLength;
          }
          u += 1; // the newline joining ranges
        });
      }),
      { numRuns: 300 },
    );
  });

  it('takes KEY_CONTEXT bytes before a string that is no member value, and the key across spaces and escapes', () => {
    const pad = 'y'.repeat(120);
    const data = Buffer.from(`{"list":["${pad}","a\\/b"],"k\\"ey" : "c\\/d","${pad}":"e\\/f"}\n`);
    const texts = escapedJsonRanges(data, 0, data.length, true).map(([s, e]) => data.toString('utf8', s, e));
    expect(texts[0]).toBe(`${pad.slice(-(96 - 2))}","a\\/b"`);
    expect(texts[1]).toBe('"k\\"ey" : "c\\/d"');
    expect(texts[2]).toBe(`${pad.slice(-(96 - 2))}":"e\\/f"`);
  });

  it('only picks JSON lines with an escape that changes the text, CR trimmed', () => {
    const data = Buffer.from('plain \\" line\n{"a":"b"}\n{"q":"\\"x\\\\\\""}\n{"a":"\\/"}\r\n  {"x":"\\u0041"}\nts {"k":"\\n"}\n');
    const ranges = escapedJsonRanges(data, 0, data.length, false);
    expect(ranges.map(([s, e]) => data.toString('utf8', s, e))).toEqual(['"a":"\\/"', '"x":"\\u0041"', '"k":"\\n"']);
  });

  it('takes only the escaped strings of a long line, each with the key in front of it', () => {
    const filler = `"f":"${'x'.repeat(300)}"`;
    const line = `{${filler},"path":"\\/a\\/b","g":"q\\"uote\\"d",${filler},"token":"ab\\/cd","end":1}`;
    const data = Buffer.from(`${line}\n`);
    const texts = escapedJsonRanges(data, 0, data.length, true).map(([s, e]) => data.toString('utf8', s, e));
    expect(texts).toHaveLength(2);
    expect(texts).toEqual(['"path":"\\/a\\/b"', '"token":"ab\\/cd"']);
  });
});

describe('JSON-lines in logs', () => {
  it('finds tokens inside escaped strings and reports the raw column', async () => {
    const dir = await tempDir('jsonl');
    const escaped = `\\u0067hp_${TOKEN.slice(4)}`; // \u0067 is "g"
    const lines = [
      `{"msg":"token=${TOKEN}","x":"a\\/b"}`,
      `{"level":"info","msg":"auth ${escaped} ok"}`,
      `{"msg":"quoted \\"${FAKE_GHO_2}\\""}`,
      `not json ${escaped}`,
    ];
    await writeFile(join(dir, 'app.jsonl'), `${lines.join('\n')}\n`);
    const { findings } = await collectLogScan(['app.jsonl'], { cwd: dir }, { allOccurrences: true });
    expect(findings.map((f) => [f.rule.id, f.secret.reveal(), f.location.line, f.location.column])).toEqual([
      ['github.pat-classic', TOKEN, 1, lines[0]!.indexOf(TOKEN) + 1],
      ['github.pat-classic', TOKEN, 2, lines[1]!.indexOf(escaped) + 1],
      ['github.oauth-token', FAKE_GHO_2, 3, lines[2]!.indexOf('gho_') + 1],
    ]);
    const second = findings[1]!;
    expect(second.location.endColumn - second.location.column).toBe(escaped.length);
    expect(second.fingerprint).toBe(findings[0]!.fingerprint);
    expect(second.locationFingerprint).not.toBe(findings[0]!.locationFingerprint);
  });

  it('finds a PEM key logged as one JSON string with \\n escapes', async () => {
    const dir = await tempDir('jsonl-pem');
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const line = JSON.stringify({ level: 'debug', config: { tls: { key: privateKey } } });
    await writeFile(join(dir, 'app.log'), `{"start":1}\n${line}\n`);
    const { findings } = await collectLogScan(['app.log'], { cwd: dir });
    // The rule's secret is the key body, just after the BEGIN line.
    expect(findings.map((f) => [f.rule.id, f.location.line, f.location.column])).toEqual([['private-key.rsa', 2, line.indexOf('-----BEGIN RSA PRIVATE KEY-----') + 31 + 1]]);
  });
});
