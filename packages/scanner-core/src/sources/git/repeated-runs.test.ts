import { describe, expect, it } from 'vitest';
import { randomString, seededRandom } from '../../testing/fake-tokens.js';
import { repeatedRuns } from './repeated-runs.js';

const WORDS = 'abcdefghijklmnopqrstuvwxyz ';

function textLines(count: number, random: () => number): string[] {
  return Array.from({ length: count }, () => `${randomString(20 + Math.floor(random() * 60), WORDS, random)}\n`);
}

/** Every run really repeats, runs ascend in both buffers, and they do not overlap. */
function checkRuns(next: Buffer, prior: Buffer, runs: number[]): void {
  expect(runs.length % 3).toBe(0);
  let nextEnd = 0;
  let priorEnd = 0;
  for (let i = 0; i < runs.length; i += 3) {
    const [at, priorAt, length] = [runs[i] ?? -1, runs[i + 1] ?? -1, runs[i + 2] ?? -1];
    expect(length).toBeGreaterThan(0);
    expect(at).toBeGreaterThanOrEqual(nextEnd);
    expect(priorAt).toBeGreaterThanOrEqual(priorEnd);
    expect(at + length).toBeLessThanOrEqual(next.length);
    expect(priorAt + length).toBeLessThanOrEqual(prior.length);
    expect(next.subarray(at, at + length).equals(prior.subarray(priorAt, priorAt + length))).toBe(true);
    nextEnd = at + length;
    priorEnd = priorAt + length;
  }
}

function unrepeated(next: Buffer, runs: number[]): number {
  let repeated = 0;
  for (let i = 2; i < runs.length; i += 3) repeated += runs[i] ?? 0;
  return next.length - repeated;
}

describe('repeatedRuns', () => {
  it('leaves only the edited lines unrepeated after scattered replacements, insertions and deletions', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const lines = textLines(2000, random);
      const prior = Buffer.from(lines.join(''));
      let changed = 0;
      for (let edit = 0; edit < 12; edit++) {
        const at = Math.floor(random() * lines.length);
        const kind = Math.floor(random() * 3);
        if (kind === 0) lines[at] = `${randomString(50, WORDS, random)}\n`;
        else if (kind === 1) lines.splice(at, 0, ...textLines(3, random));
        else lines.splice(at, 2);
        changed += 200;
      }
      const next = Buffer.from(lines.join(''));
      const runs = repeatedRuns(next, prior);
      checkRuns(next, prior, runs);
      // ~12 edits of a few short lines each, in ~100 KB: a few KB unrepeated, not the rest of the file.
      expect(unrepeated(next, runs)).toBeLessThan(changed + 12 * 512);
    }
  });

  it('handles appends, truncation, one version a prefix of the other, and unrelated contents', () => {
    const random = seededRandom(7);
    const base = Buffer.from(textLines(500, random).join(''));
    const cases: [Buffer, Buffer][] = [
      [Buffer.concat([base, Buffer.from('appended line\n')]), base],
      [base.subarray(0, 20_000), base],
      [base, base.subarray(0, 20_000)],
      [Buffer.concat([base, base]), base],
      [Buffer.from(textLines(500, random).join('')), base],
      [Buffer.alloc(0), base],
      [base, Buffer.alloc(0)],
    ];
    for (const [next, prior] of cases) checkRuns(next, prior, repeatedRuns(next, prior));
    expect(unrepeated(cases[0]![0], repeatedRuns(...cases[0]!))).toBe('appended line\n'.length);
    expect(unrepeated(cases[1]![0], repeatedRuns(...cases[1]!))).toBe(0);
  });

  it('stays correct on random bytes and long lines without newlines (fuzz)', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 200; round++) {
      const prior = Buffer.from(randomString(Math.floor(random() * 5000), 'ab\n', random));
      const cut = Math.floor(random() * prior.length);
      const next = Buffer.concat([prior.subarray(0, cut), Buffer.from(randomString(Math.floor(random() * 300), 'abc\n', random)), prior.subarray(cut + Math.floor(random() * 50))]);
      checkRuns(next, prior, repeatedRuns(next, prior));
    }
  });
});
