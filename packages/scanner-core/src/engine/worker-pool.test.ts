import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/config.js';
import { JsonReporter } from '../reporters/json-reporter.js';
import { scan } from '../scan.js';
import { createScanner } from '../scanner.js';
import { DirSource } from '../sources/dir-source.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import { discardSpareWorkers, prestartWorkers, spareWorkerCount } from './matching-workers.js';
import { InlineMatcher, WorkerPoolMatcher, type ChunkMatcher } from './worker-pool.js';

const root = mkdtempSync(join(tmpdir(), 'leakguard-pool-'));
for (let d = 0; d < 6; d++) {
  mkdirSync(join(root, `d${d}`));
  for (let f = 0; f < 25; f++) {
    const lines = Array.from({ length: 200 }, (_, i) => (i % 37 === f % 37 ? `token=${fakeGithubToken(d * 1000 + f * 10 + i)}` : `plain line ${i} of ${f}`));
    writeFileSync(join(root, `d${d}`, `f${f}.txt`), lines.join('\n'));
  }
}

async function jsonReport(makeMatcher: (scanner: ReturnType<typeof createScanner>) => ChunkMatcher, waitForWorkers = true): Promise<string> {
  const scanner = createScanner(DEFAULT_CONFIG);
  const matcher = makeMatcher(scanner);
  // Until a worker is ready the pool matches in this thread: wait, so that the workers do the matching here.
  if (waitForWorkers && matcher instanceof WorkerPoolMatcher) await matcher.whenReady();
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  await scan({
    sources: [new DirSource(['.'], { cwd: root })],
    engine: scanner.engine,
    matcher,
    reporters: [new JsonReporter(out)],
    run: { tool: { name: 'leakguard', version: 't' }, command: 'dir', root, rules: [] },
  });
  return Buffer.concat(parts).toString('utf8').replace(/"durationMs":\d+/, '"durationMs":0');
}

describe('worker pool matching', () => {
  it('gives byte-identical JSON for 1 and N workers', async () => {
    const inline = await jsonReport((s) => new InlineMatcher(s.engine));
    expect((JSON.parse(inline) as { findings: unknown[] }).findings.length).toBeGreaterThan(100);
    for (const size of [2, 3]) {
      const pooled = await jsonReport((s) => new WorkerPoolMatcher(new InlineMatcher(s.engine), { config: DEFAULT_CONFIG }, size, 0));
      expect(pooled).toBe(inline);
    }
    // Not waiting: the first chunks are matched here while the workers start, the rest by them.
    const mixed = await jsonReport((s) => new WorkerPoolMatcher(new InlineMatcher(s.engine), { config: DEFAULT_CONFIG }, 2, 0), false);
    expect(mixed).toBe(inline);
  });

  it('takes workers started before their spec (prestartWorkers) and gives the same report; spares left over are ended', async () => {
    const inline = await jsonReport((s) => new InlineMatcher(s.engine));
    prestartWorkers(3);
    expect(spareWorkerCount()).toBe(3);
    const pooled = await jsonReport((s) => new WorkerPoolMatcher(new InlineMatcher(s.engine), { config: DEFAULT_CONFIG }, 2, 0));
    expect(pooled).toBe(inline);
    expect(spareWorkerCount()).toBe(1);
    await discardSpareWorkers();
    expect(spareWorkerCount()).toBe(0);
  });
});
