import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import type { Finding } from '../finding.js';
import { loadRuleDir } from '../rules/rule-loader.js';
import { windowedChunks } from '../sources/windowing.js';
import { seededRandom } from '../testing/fake-tokens.js';
import { compileRules } from './compiled-rule.js';
import { Engine } from './engine.js';

const rules = loadRuleDir();
const engine = new Engine(compileRules(rules, { lazy: () => true }));
const origin = { kind: 'file' as const, path: 'big.txt' };
const key = (f: Finding): string => `${f.rule.id}@${f.location.offset}-${f.location.endOffset} ${f.location.line}:${f.location.column}`;

/** Every rule's examples scattered through ~3 MB of filler, with far-apart keyword context for some. */
function corpus(seed: number): Buffer {
  const random = seededRandom(seed);
  const filler = 'const value = compute(input, options); // an ordinary line of code\n';
  const parts: string[] = [];
  for (const rule of rules) {
    parts.push(filler.repeat(Math.floor(random() * 80)));
    parts.push(`${rule.examples[Math.floor(random() * rule.examples.length)] ?? ''}\n`);
  }
  return Buffer.from(parts.join(''));
}

describe('block-wise prefiltering of large chunks', () => {
  it.each([1, 2, 3])('finds exactly what small whole-chunk scans find (seed %i)', async (seed) => {
    const data = corpus(seed);
    expect(data.length).toBeGreaterThan(1024 * 1024);
    const big = engine.scan(wholeChunk(data, origin)).map(key);
    const small: string[] = [];
    for await (const chunk of windowedChunks([data], origin, { windowSize: 200 * 1024, overlap: 64 * 1024 })) small.push(...engine.scan(chunk).map(key));
    expect(big.length).toBeGreaterThan(rules.length / 2);
    expect(big).toEqual(small);
  });
});

describe('grouped screening of candidate rules', () => {
  it('finds exactly what running each candidate rule finds', async () => {
    const grouped = new Engine(compileRules(rules, { lazy: () => true }), { groupWarmupBytes: 0 });
    const single = new Engine(compileRules(rules, { lazy: () => true }), { groupWarmupBytes: Number.POSITIVE_INFINITY });
    const data = corpus(9);
    const a: string[] = [];
    const b: string[] = [];
    for await (const chunk of windowedChunks([data], origin, { windowSize: 48 * 1024, overlap: 16 * 1024 })) {
      a.push(...grouped.scan(chunk).map(key));
      b.push(...single.scan(chunk).map(key));
    }
    expect(b.length).toBeGreaterThan(rules.length / 2);
    expect(a).toEqual(b);
  });
});

describe('matching near keyword blocks', () => {
  it('finds exactly what whole passes of each candidate rule find', async () => {
    const near = new Engine(compileRules(rules, { lazy: () => true }));
    const whole = new Engine(compileRules(rules, { lazy: () => true }), { keywordRegions: false });
    for (const seed of [4, 5]) {
      const data = corpus(seed);
      const a: string[] = [];
      const b: string[] = [];
      for await (const chunk of windowedChunks([data], origin, { windowSize: 96 * 1024, overlap: 32 * 1024 })) {
        a.push(...near.scan(chunk).map(key));
        b.push(...whole.scan(chunk).map(key));
      }
      a.push(...near.scan(wholeChunk(data, origin)).map(key));
      b.push(...whole.scan(wholeChunk(data, origin)).map(key));
      expect(b.length).toBeGreaterThan(rules.length);
      expect(a).toEqual(b);
    }
  });
});
