import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../config/config.js';
import { WorkerPoolMatcher } from '../../engine/worker-pool.js';
import { createScanner } from '../../scanner.js';
import { fakeGithubToken } from '../../testing/fake-tokens.js';
import { LogChunkScanner } from './log-chunk-scanner.js';
import { collectLogScan, tempDir } from './log-test-kit.js';

describe('logs on worker threads', () => {
  it('report what the log scanner in this thread reports: JSON escapes, line timestamps, every occurrence', async () => {
    const dir = await tempDir('log-workers');
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      if (i % 3_000 === 5) lines.push(`{"time":"2024-05-01T00:00:${String(i % 60).padStart(2, '0')}Z","msg":"auth","token":"${fakeGithubToken(4000 + i).replace('_', '\\u005f')}"}`);
      else if (i % 3_000 === 9) lines.push(`2024-05-02T01:02:03Z WARN retry with token=${fakeGithubToken(6000 + i)}`);
      else lines.push(`2024-05-01T00:00:00Z INFO request id=${i} path=/api/v1/items status=200 ms=${i % 900}`);
    }
    await writeFile(join(dir, 'app.log'), `${lines.join('\n')}\n`);
    const { engine } = createScanner(DEFAULT_CONFIG);
    const key = (f: { rule: { id: string }; secret: { reveal(): string }; location: unknown; origin: unknown }): string =>
      JSON.stringify([f.rule.id, f.secret.reveal(), f.location, f.origin]);
    const inline = await collectLogScan(['app.log'], { cwd: dir }, { engine, allOccurrences: true });
    const pool = new WorkerPoolMatcher(new LogChunkScanner(engine), { config: DEFAULT_CONFIG, logs: true }, 2, 0);
    await pool.whenReady(); // so that the workers, not this thread, match the windows
    const pooled = await collectLogScan(['app.log'], { cwd: dir }, { engine, allOccurrences: true, matcher: pool });
    expect(inline.findings).toHaveLength(40);
    expect(inline.findings.map(key).join('\n')).toContain('2024-05-02T01:02:03Z');
    expect(pooled.findings.map(key)).toEqual(inline.findings.map(key));
    expect(pool.workersStarted).toBe(2);
  });
});
