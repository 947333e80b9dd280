import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../chunk.js';
import { compileRules } from '../engine/compiled-rule.js';
import { Engine } from '../engine/engine.js';
import type { Finding } from '../finding.js';
import type { RuleDefinition } from '../rules/rule.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import { bufferChunks, streamChunks } from './read-item.js';
import type { SourceContext } from './source.js';

const rule: RuleDefinition = {
  id: 'github.pat-classic', provider: 'GitHub', description: 'pat', pattern: '(ghp_[A-Za-z0-9]{36})', keywords: ['ghp_'],
  severity: 'high', tags: [], references: [], generic: false, examples: [], negativeExamples: [], source: 'test',
};
const engine = new Engine(compileRules([rule]));
const origin = { kind: 'file' as const, path: 'item.txt' };

function context(): SourceContext & { skipped: string[] } {
  const skipped: string[] = [];
  return { skipped, signal: new AbortController().signal, warn: () => undefined, skip: (_i, r) => skipped.push(r), scanned: () => undefined, inShard: () => true };
}

const key = (f: Finding): string => `${f.location.line}:${f.location.column}-${f.location.endLine}:${f.location.endColumn} ${f.secret.reveal()}`;

async function findings(chunks: AsyncIterable<Chunk>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(...engine.scan(chunk).map(key));
  return out;
}

const ENCODINGS = ['utf8', 'utf8-bom', 'utf16le-bom', 'utf16be-bom', 'utf16le'] as const;

function encode(text: string, encoding: (typeof ENCODINGS)[number]): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text);
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    default:
      return encoding satisfies never;
  }
}

/** The item cut at arbitrary positions: every piece size from the list, cycled. */
async function* cut(data: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    yield data.subarray(at, at + n);
    at += n;
  }
}

describe('streamChunks vs bufferChunks (fast-check)', () => {
  it('finds the same secrets at the same lines/columns whatever the encoding, window size and split positions', async () => {
    const filler = fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r\n', 'é', '€', '='), minLength: 1, maxLength: 300 });
    const token = fc.integer({ min: 1, max: 1e6 }).map((seed) => fakeGithubToken(seed));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(filler, token), { minLength: 1, maxLength: 10 }),
        fc.constantFrom(...ENCODINGS),
        fc.integer({ min: 100, max: 300 }),
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
        async (parts, encoding, overlap, extra, sizes) => {
          const text = parts.map(([f, t]) => `${f}${t}`).join('') + '\n';
          const data = encode(text, encoding);
          const whole = await findings(bufferChunks(data, origin, context()));
          expect(whole).toHaveLength(parts.length);
          const streamed = await findings(streamChunks(cut(data, sizes), origin, context(), { windowSize: overlap * 2 + extra, overlap }));
          expect(streamed).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });
});
