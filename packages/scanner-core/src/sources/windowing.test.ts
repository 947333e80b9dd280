import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import { compileRules } from '../engine/compiled-rule.js';
import { Engine } from '../engine/engine.js';
import type { Finding } from '../finding.js';
import type { RuleDefinition } from '../rules/rule.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import { windowedChunks } from './windowing.js';

const rules: RuleDefinition[] = [
  {
    id: 'github.pat-classic', provider: 'GitHub', description: 'pat', pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b', keywords: ['ghp_'],
    severity: 'high', tags: [], references: [], generic: false, examples: [], negativeExamples: [], source: 'test',
  },
  {
    id: 'test.multiline', provider: 'Test', description: 'block', pattern: '(BEGIN[\\s\\S]{0,200}?END)', keywords: ['begin'],
    severity: 'high', tags: [], references: [], generic: false, examples: [], negativeExamples: [], source: 'test',
  },
];
const engine = new Engine(compileRules(rules));
const origin = { kind: 'file' as const, path: 'big.txt' };

function key(f: Finding): string {
  return `${f.rule.id}@${f.location.offset}-${f.location.endOffset} ${f.location.line}:${f.location.column}-${f.location.endLine}:${f.location.endColumn} ${f.secret.reveal()}`;
}

async function windowed(data: Buffer, windowSize: number, overlap: number, pieceSize: number): Promise<string[]> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += pieceSize) pieces.push(data.subarray(i, i + pieceSize));
  const out: string[] = [];
  for await (const chunk of windowedChunks(pieces, origin, { windowSize, overlap })) out.push(...engine.scan(chunk).map(key));
  return out;
}

describe('windowed scanning', () => {
  it('finds every secret exactly once for random window sizes and positions', async () => {
    let windowedRuns = 0;
    const filler = fc.string({ unit: fc.constantFrom('a', ' ', '\n', 'é', 'x', '€', '='), minLength: 80, maxLength: 600 });
    const secret = fc.oneof(
      fc.integer({ min: 1, max: 1e6 }).map((seed) => fakeGithubToken(seed)),
      fc.string({ unit: fc.constantFrom('q', '\n', ' '), maxLength: 60 }).map((s) => `BEGIN${s}END`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(filler, secret), { minLength: 4, maxLength: 16 }),
        filler,
        fc.integer({ min: 160, max: 400 }),
        fc.integer({ min: 1, max: 300 }),
        async (parts, tail, overlap, extra) => {
          const text = parts.map(([f, s]) => `${f} ${s} `).join('') + tail;
          const data = Buffer.from(text);
          const whole = engine.scan(wholeChunk(data, origin)).map(key);
          const windowSize = overlap * 2 + extra;
          if (data.length > windowSize) windowedRuns++;
          expect(await windowed(data, windowSize, overlap, 1 + (extra % 97))).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
    // Most runs must actually cross window boundaries, or the property proves nothing.
    expect(windowedRuns).toBeGreaterThan(200);
  });

  it('emits nothing for empty input and one chunk for input smaller than a window', async () => {
    const empty: Buffer[] = [];
    const chunks = [];
    for await (const c of windowedChunks(empty, origin, { windowSize: 64, overlap: 16 })) chunks.push(c);
    expect(chunks).toEqual([]);
    for await (const c of windowedChunks([Buffer.from('short')], origin, { windowSize: 64, overlap: 16 })) chunks.push(c);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ offset: 0, line: 1, column: 1, ownedStart: 0, ownedEnd: 5 });
  });

  it('keeps line numbers across windows on a long input', async () => {
    const token = fakeGithubToken(7);
    const lines = Array.from({ length: 5000 }, (_, i) => (i === 4321 ? `  x=${token}` : `line ${i}`));
    const out = await windowed(Buffer.from(lines.join('\n')), 4096, 512, 1000);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(' 4322:5-4322:45 ');
  });
});
