import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { RADIX_RUN_PATTERN } from './encoded-runs.js';
import { radixSegments, segmentRuns } from './radix-segments.js';

/** Run spans `start-end` (the start after the delimiter) of one pattern pass over data from `at`. */
function onePass(data: Buffer, at = 0, base = 0, text: Buffer = data): string[] {
  const re = new RE2(RADIX_RUN_PATTERN, 'gm');
  const out: string[] = [];
  re.lastIndex = at;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let start = base + m.index;
    while (start < base + re.lastIndex && !/[0-9A-Za-z]/.test(String.fromCharCode(data[start] ?? 0))) start++;
    out.push(`${start}-${base + re.lastIndex}`);
  }
  return out;
}

/** The same spans, with the skip loop choosing where the pattern runs (and a pass over the rest when dense). */
function bySegments(data: Buffer, from = 0, to = data.length): { runs: string[]; dense: boolean } {
  const runs: string[] = [];
  let dense = false;
  for (const place of radixSegments(data, from, to)) {
    if (place.kind === 'dense') {
      dense = true;
      runs.push(...onePass(data, place.resumeAt));
      break;
    }
    const byPattern = onePass(data, 0, place.textStart, data.subarray(place.textStart, place.end));
    const inJs = segmentRuns(data, place);
    if (inJs !== undefined) {
      // What the engine uses for this segment: the same runs, found without the pattern.
      expect(inJs.flatMap((at, k) => (k % 2 === 0 ? [`${at}-${inJs[k + 1] ?? -1}`] : []))).toEqual(byPattern);
      jsSegments++;
      if (inJs.length >= 4) jsSeveralRuns++;
    }
    runs.push(...byPattern);
  }
  return { runs, dense };
}

/** Segments whose runs segmentRuns found in JS (the rest follow a non-ASCII delimiter), and those with 2+ runs. */
let jsSegments = 0;
let jsSeveralRuns = 0;

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const hex = (s: string): string => Buffer.from(s).toString('hex');

describe('radix segments', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/);
  const piece = fc.oneof(
    word,
    word.map(b64),
    word.map((w) => b64(w).replace(/=+$/, '')),
    word.map(hex),
    word.map((w) => `${w}_${hex(w)}`),
    fc.constantFrom(' ', '\n', '=', '==', '-', '+', '/', '_', ':', '"', '.', '\t'),
    // multi-byte characters, and bytes that are not UTF-8 at all (a Latin-1 é, a lone continuation byte)
    fc.constantFrom('\u00e9', '\u201c', '\uff1a').map((c) => Buffer.from(c)),
    fc.constantFrom([0xe9], [0x9c], [0xc3], [0xff]).map((bytes) => Buffer.from(bytes)),
  );
  const toBuffer = (pieces: readonly (string | Buffer)[]): Buffer => Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

  it('finds exactly the runs one pattern pass over the whole text finds, sparse or dense (fast-check)', () => {
    let denseSeen = 0;
    // Dense text: 34+ stretches of 16+ alphabet bytes (identifiers, paths, base64) among the other pieces.
    const stretch = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_/-]{16,40}$/), word.map((w) => b64(`${w}${w}${w}`)));
    const dense = fc.array(fc.tuple(stretch, piece, piece), { minLength: 34, maxLength: 60 }).map((triples) => triples.flat());
    fc.assert(
      fc.property(fc.oneof(fc.array(piece, { maxLength: 80 }), dense), (pieces) => {
        const data = toBuffer(pieces);
        const { runs, dense } = bySegments(data);
        if (dense) denseSeen++;
        expect(runs).toEqual(onePass(data));
        // With an end: the same runs up to it (the segments stop at the first stretch starting there).
        const to = Math.floor(data.length / 2);
        const startsBefore = (span: string): boolean => Number(span.split('-')[0]) < to;
        expect(bySegments(data, 0, to).runs.filter(startsBefore)).toEqual(runs.filter(startsBefore));
      }),
      { numRuns: 3000 },
    );
    expect(denseSeen).toBeGreaterThan(0); // both ways of finishing were checked
    expect(jsSegments).toBeGreaterThan(1000);
  });

  it('finds in JS the runs the pattern finds in a segment: hex after `+/_-`, back to back, base64 taking the stretch (fast-check)', () => {
    // Stretches made of hex, hex-looking and base64-looking parts joined by the hex delimiters.
    const part = fc.oneof(
      fc.stringMatching(/^[0-9a-fA-F]{1,40}$/),
      fc.stringMatching(/^(?:[2-7][0-9a-fA-F]){6,12}$/),
      fc.stringMatching(/^[A-Za-z0-9]{1,20}$/),
      fc.constantFrom('+', '/', '_', '-', '--', '=', '=='),
    );
    const delimiter = fc.constantFrom('', ' ', '\n', ':', '"', '=', '\u00e9');
    const [segments, severalRuns] = [jsSegments, jsSeveralRuns];
    fc.assert(
      fc.property(delimiter, fc.array(part, { minLength: 1, maxLength: 12 }), delimiter, (before, parts, after) => {
        const data = Buffer.from(`${before}${parts.join('')}${after}`);
        expect(bySegments(data).runs).toEqual(onePass(data));
      }),
      { numRuns: 3000 },
    );
    expect(jsSegments - segments).toBeGreaterThan(1000);
    expect(jsSeveralRuns - severalRuns).toBeGreaterThan(50);
  });

  it('leaves out identifiers and hashes that cannot be text, and a stretch an earlier chunk began', () => {
    const noise = Buffer.from('const ConfigurationManagerFactory = loadConfigurationFromEnvironment(); // 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n');
    expect([...radixSegments(noise, 0)]).toEqual([]);
    const hidden = b64('a hidden text');
    const inner = `${'z'.repeat(5000)}==${hidden}`;
    expect([...radixSegments(Buffer.from(` ${inner} `), 0)]).toEqual([{ kind: 'segment', textStart: 5002, start: 5003, end: 5003 + hidden.length }]);
    // Two base64 texts back to back: the second is a run too (the first one's padding is not consumed).
    expect(bySegments(Buffer.from(`${b64('first text here!')}${b64('the second text')}`)).runs).toHaveLength(2);
    // A chunk that starts inside a stretch (from > 0) leaves that stretch to the chunk before.
    const cutInside = Buffer.from(`${hidden.slice(3)} and ${hidden}`);
    expect(bySegments(cutInside, 1).runs).toEqual([`${cutInside.length - hidden.length}-${cutInside.length - 2}`]); // "==" is padding
  });
});
