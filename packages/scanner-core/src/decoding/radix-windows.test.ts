import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { RADIX_RUN_PATTERN } from './encoded-runs.js';
import { nextRadixWindow } from './radix-windows.js';

/** Run spans [start, end) the pattern finds in one pass over the whole text (the start after the delimiter). */
function wholeTextRuns(data: Buffer): string[] {
  const re = new RE2(RADIX_RUN_PATTERN, 'gm');
  const out: string[] = [];
  for (let m = re.exec(data); m !== null; m = re.exec(data)) out.push(span(data, m.index, re.lastIndex));
  return out;
}

/** The same, running the pattern only on each window. */
function windowedRuns(data: Buffer): string[] {
  const re = new RE2(RADIX_RUN_PATTERN, 'gm');
  const out: string[] = [];
  for (let w = nextRadixWindow(data, 0); w !== undefined; w = nextRadixWindow(data, w.end)) {
    const text = data.subarray(w.start, w.end);
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(span(data, w.start + m.index, w.start + re.lastIndex));
  }
  return out;
}

function span(data: Buffer, matchStart: number, end: number): string {
  let start = matchStart;
  while (start < end && !/[0-9A-Za-z]/.test(String.fromCharCode(data[start] ?? 0))) start++;
  return `${start}-${end}`;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const hex = (s: string): string => Buffer.from(s).toString('hex');

describe('radix windows', () => {
  it('finds every run one pass over the whole text finds, and no other (fast-check)', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/);
    const piece = fc.oneof(
      word,
      word.map(b64),
      word.map((w) => b64(w).replace(/=+$/, '')),
      word.map(hex),
      word.map((w) => `${w}_${hex(w)}`),
      fc.constantFrom(' ', '\n', '=', '==', '-', '+', '/', '_', ':', '"', '.', '\u00e9', '\u201c', '\t'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const data = Buffer.from(pieces.join(''));
        expect(windowedRuns(data)).toEqual(wholeTextRuns(data));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out identifiers and hashes that cannot be text, and finds runs deep in a long window', () => {
    const noise = Buffer.from('const ConfigurationManagerFactory = loadConfigurationFromEnvironment(); // 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n');
    expect(nextRadixWindow(noise, 0)).toBeUndefined();
    const inner = `${'Z'.repeat(5000)}=${b64('a hidden text')}`;
    const w = nextRadixWindow(Buffer.from(` ${inner} `), 0);
    expect(w).toEqual({ start: 1, end: 1 + inner.length });
  });
});
