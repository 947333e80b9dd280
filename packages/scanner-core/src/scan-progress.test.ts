import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config/config.js';
import { scan, type ScanProgress } from './scan.js';
import type { SourceContext } from './sources/source.js';
import { createScanner } from './scanner.js';
import { GitHistorySource } from './sources/git/git-history-source.js';
import { ArchiveProvider } from './sources/image/archive-provider.js';
import { ImageSource } from './sources/image/image-source.js';
import { LogSource } from './sources/logs/log-source.js';
import { scanLogs } from './sources/logs/log-scan.js';
import { tempDir } from './sources/logs/log-test-kit.js';
import { TestRepo, useHermeticGit } from './testing/git-test-repo.js';
import { dockerArchive, type LayerSpec } from './testing/image-fixtures.js';

const run = { tool: { name: 'leakguard', version: 't' }, command: 'test', root: '.', rules: [] };

/** The shares of input done that progress reports carried, in order. */
function fractions(reports: readonly ScanProgress[]): number[] {
  return reports.flatMap((p) => (p.fraction === undefined ? [] : [p.fraction]));
}

function expectRisingToOne(shares: readonly number[]): void {
  expect(shares.length).toBeGreaterThan(0);
  for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1] ?? 0);
  expect(shares.at(-1)).toBe(1);
}

/** A context that records what a source says about its progress (see SourceContext.through). */
function recordingContext(): { context: SourceContext; calls: [number, number][] } {
  const calls: [number, number][] = [];
  const context: SourceContext = {
    signal: new AbortController().signal,
    warn: () => undefined,
    skip: () => undefined,
    scanned: () => undefined,
    inShard: () => true,
    through: (done, total) => calls.push([done, total]),
  };
  return { context, calls };
}

beforeAll(() => useHermeticGit());

describe('progress reports the share of input done when the source knows its total', () => {
  it('git history: blobs answered of blobs requested, once the log has named them all', async () => {
    const repo = TestRepo.create();
    for (let c = 0; c < 30; c++) repo.commit(`c${c}`, { [`f${c % 7}.txt`]: `version ${c}\n`.repeat(50 + c) });
    const { context, calls } = recordingContext();
    let chunks = 0;
    for await (const _ of new GitHistorySource(repo.dir).chunks(context)) chunks++;
    expect(chunks).toBe(30); // every commit wrote a new version
    // Whether the log has ended before the first answers arrive is a race; the last call always comes after it.
    expect(calls.at(-1)).toEqual([30, 30]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]?.[0]).toBeGreaterThanOrEqual(calls[i - 1]?.[0] ?? 0);
    for (const [done, total] of calls) expect(done).toBeLessThanOrEqual(total);
  });

  it('git history through scan(): the progress line gets the share once the log has ended', async () => {
    const repo = TestRepo.create();
    let stream = '';
    for (let c = 1; c <= 400; c++) {
      const content = `version ${c}\n`.repeat(50 + c);
      stream += `commit refs/heads/main\nmark :${c}\ncommitter Dev <dev@example.com> ${1_700_000_000 + c * 60} +0000\ndata ${String(c).length + 1}\nc${c}\n`;
      if (c > 1) stream += `from :${c - 1}\n`;
      stream += `M 100644 inline f${c % 7}.txt\ndata ${content.length}\n${content}\n`;
    }
    repo.fastImport(stream);
    const reports: ScanProgress[] = [];
    const scanner = createScanner(DEFAULT_CONFIG);
    await scan({ sources: [new GitHistorySource(repo.dir)], engine: scanner.engine, reporters: [], run, onProgress: (p) => reports.push(p) });
    expect(reports.length).toBe(400);
    const shares = fractions(reports);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1] ?? 0);
    expect(shares.length).toBeGreaterThan(100); // the log ends long before 400 blobs are matched
    expect(shares.at(-1)).toBeGreaterThan(0.9);
  });

  it('logs: bytes on disk read of the files named, across files', async () => {
    const dir = await tempDir('leakguard-progress-');
    for (const [name, lines] of [['a.log', 20_000], ['b.log', 60_000], ['c.log', 5_000]] as const) {
      await writeFile(join(dir, name), Array.from({ length: lines }, (_, i) => `2024-01-01T00:00:00Z request ${i} served`).join('\n'));
    }
    const reports: ScanProgress[] = [];
    const scanner = createScanner(DEFAULT_CONFIG);
    await scanLogs({ source: new LogSource(['.'], { cwd: dir }), engine: scanner.engine, reporters: [], run, onProgress: (p) => reports.push(p) });
    const shares = fractions(reports);
    expect(shares.length).toBeGreaterThan(3); // several 1 MiB windows, not one report per file
    expectRisingToOne(shares);
    expect(shares.some((s) => s > 0.1 && s < 0.9)).toBe(true);
    expect(reports.at(-1)?.bytes).toBeGreaterThan(3_000_000);
  });

  it('logs from a stream: no total, so no share', async () => {
    const { Readable } = await import('node:stream');
    const reports: ScanProgress[] = [];
    const scanner = createScanner(DEFAULT_CONFIG);
    const stdin = Readable.from([Buffer.from('a line\n'.repeat(1000))]);
    await scanLogs({ source: new LogSource(['-'], { cwd: '.', stdin }), engine: scanner.engine, reporters: [], run, onProgress: (p) => reports.push(p) });
    expect(reports.length).toBeGreaterThan(0);
    expect(fractions(reports)).toEqual([]);
  });

  it('images: layers read of the layers the archive holds', async () => {
    const dir = await tempDir('leakguard-progress-image-');
    const layer = (n: number): LayerSpec => ({ files: [{ name: `app/f${n}.txt`, data: `layer ${n}\n`.repeat(100) }] });
    const path = join(dir, 'img.tar');
    await writeFile(path, await dockerArchive([{ tag: 'p:1', layers: [layer(1), layer(2), layer(3), layer(4)] }]));
    const { context, calls } = recordingContext();
    for await (const _ of new ImageSource(new ArchiveProvider(path, 'img.tar')).chunks(context));
    expect(calls).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });
});
