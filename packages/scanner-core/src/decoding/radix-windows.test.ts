import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { RADIX_RUN_PATTERN } from './encoded-runs.js';
import { radixSegments } from './radix-windows.js';

const IN_WINDOW = /[A-Za-z0-9+/_=-]/;

/**
 * The definition, spelled out plainly: cut the text into maximal stretches of alphabet bytes and `=`, each
 * cut again after every run of `=`, and run the pattern on every piece alone.
 */
function runsByDefinition(data: Buffer): string[] {
  const re = new RE2(RADIX_RUN_PATTERN, 'gm');
  const out: string[] = [];
  const inWindow = (i: number): boolean => i < data.length && IN_WINDOW.test(String.fromCharCode(data[i] ?? 0));
  for (let i = 0; i < data.length; ) {
    if (!inWindow(i)) {
      i++;
      continue;
    }
    let end = i;
    while (inWindow(end) && data[end] !== 0x3d) end++;
    while (inWindow(end) && data[end] === 0x3d) end++;
    const text = data.subarray(i, end);
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(span(data, i + m.index, i + re.lastIndex));
    i = end;
  }
  return out;
}

/** The same, with the skip loop and its pre-check choosing the segments. */
function runsBySegments(data: Buffer, from = 0): string[] {
  const re = new RE2(RADIX_RUN_PATTERN, 'gm');
  const out: string[] = [];
  for (const w of radixSegments(data, from)) {
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
  it('finds exactly the runs the plain definition finds (fast-check)', () => {
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
        expect(runsBySegments(data)).toEqual(runsByDefinition(data));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out identifiers and hashes that cannot be text, finds runs deep in a long stretch, and no segment an earlier chunk began', () => {
    const noise = Buffer.from('const ConfigurationManagerFactory = loadConfigurationFromEnvironment(); // 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n');
    expect([...radixSegments(noise, 0)]).toEqual([]);
    const hidden = b64('a hidden text');
    const inner = `${'z'.repeat(5000)}==${hidden}`;
    expect([...radixSegments(Buffer.from(` ${inner} `), 0)]).toEqual([{ start: 5003, end: 5003 + hidden.length }]);
    // Two base64 texts back to back: the second is a run whether or not the first one's padding was read.
    const pair = Buffer.from(`${b64('first text here!')}${b64('the second text')}`);
    expect(runsBySegments(pair)).toHaveLength(2);
    // A chunk that starts inside a stretch (from > 0) leaves its first segment to the chunk before.
    const cutInside = Buffer.from(`${hidden.slice(3)} and ${hidden}`);
    expect(runsBySegments(cutInside, 1)).toEqual([`${cutInside.length - hidden.length}-${cutInside.length}`]);
  });
});
