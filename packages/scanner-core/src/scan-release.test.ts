import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Chunk } from './chunk.js';
import { DEFAULT_CONFIG } from './config/config.js';
import { InlineMatcher, WorkerPoolMatcher, type ChunkMatcher } from './engine/worker-pool.js';
import { JsonReporter } from './reporters/json-reporter.js';
import { scan } from './scan.js';
import { createScanner } from './scanner.js';
import { ByteRing } from './sources/byte-ring.js';
import type { Source, SourceContext } from './sources/source.js';
import { fakeGithubToken } from './testing/fake-tokens.js';

/** 200 items of ~4 KB, some with a token and some of those marked `leakguard:allow` (a filter that reads the bytes). */
function item(i: number): Buffer {
  const lines = Array.from({ length: 60 }, (_, l) => `line ${l} of item ${i}: nothing to see here, just padding`);
  if (i % 3 === 0) lines[i % 50] = `token = "${fakeGithubToken(i)}"${i % 9 === 0 ? ' // leakguard:allow' : ''}`;
  return Buffer.from(lines.join('\n'));
}

/** Lends each item's bytes from a small ring when it has room, as GitHistorySource does. */
class LendingSource implements Source {
  readonly id = 'lending';
  readonly ring: ByteRing | undefined;
  lentChunks = 0;
  readonly #lent = new Map<Chunk, Buffer>();

  constructor(ring: ByteRing | undefined) {
    this.ring = ring;
  }

  async *chunks(context: SourceContext): AsyncGenerator<Chunk> {
    for (let i = 0; i < 200; i++) {
      const bytes = item(i);
      const lent = this.ring?.take(bytes.length);
      lent?.set(bytes);
      const chunk: Chunk = { data: lent ?? bytes, origin: { kind: 'file', path: `item${i}.txt` }, offset: 0, line: 1, column: 1 };
      if (lent !== undefined) {
        this.#lent.set(chunk, lent);
        this.lentChunks++;
      }
      yield chunk;
      context.scanned(bytes.length);
      await Promise.resolve();
    }
  }

  release(chunk: Chunk): void {
    const lent = this.#lent.get(chunk);
    if (lent === undefined) return;
    this.#lent.delete(chunk);
    // Poison what is given back: a scan that read a chunk after releasing it would see this.
    lent.fill(0x21);
    this.ring?.give(lent);
  }
}

async function report(source: LendingSource, matcher: (s: ReturnType<typeof createScanner>) => ChunkMatcher): Promise<string> {
  const scanner = createScanner(DEFAULT_CONFIG, { inlineIgnores: true });
  const chosen = matcher(scanner);
  if (chosen instanceof WorkerPoolMatcher) await chosen.whenReady();
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  await scan({
    sources: [source],
    engine: scanner.engine,
    matcher: chosen,
    filters: scanner.filters,
    reporters: [new JsonReporter(out)],
    run: { tool: { name: 'leakguard', version: 't' }, command: 'test', root: '/', rules: [] },
  });
  return Buffer.concat(parts).toString('utf8').replace(/"durationMs":\d+/, '"durationMs":0');
}

describe('scan() and sources that lend chunk memory', () => {
  it('releases every chunk once done with it, and never reads one afterwards', async () => {
    const plain = await report(new LendingSource(undefined), (s) => new InlineMatcher(s.engine));
    const findings = (JSON.parse(plain) as { findings: unknown[] }).findings;
    expect(findings.length).toBe(67 - 23); // every third item of 200, less every ninth (allowed inline)

    for (const matcher of [(s: ReturnType<typeof createScanner>) => new InlineMatcher(s.engine), (s: ReturnType<typeof createScanner>) => new WorkerPoolMatcher(new InlineMatcher(s.engine), { config: DEFAULT_CONFIG }, 2, 0)]) {
      const source = new LendingSource(new ByteRing(32 * 1024));
      expect(await report(source, matcher)).toBe(plain);
      expect(source.ring?.lentBytes).toBe(0);
      expect(source.lentChunks).toBeGreaterThan(8); // the 32 KB ring was reused, not just filled once
    }
  });
});
