import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lgChild, peakRssKiB, scratch, timeWrap, token } from './hostile-kit.js';

const MiB = 1024 * 1024;

beforeAll(() => ensureBuilt(), 120_000);

/** The `"summary": {...}` line of a streamed JSON report (the report itself may be hundreds of MB). */
function summaryOf(stdoutTail: string): { findings: number; itemsScanned: number; partial: boolean; warnings: unknown[] } {
  const line = stdoutTail.split('\n').find((l) => l.startsWith('  "summary": '));
  if (line === undefined) throw new Error(`no summary line in: ${stdoutTail.slice(-300)}`);
  return JSON.parse(line.slice('  "summary": '.length)) as ReturnType<typeof summaryOf>;
}

describe('hostile scale', () => {
  it('1,000,000 findings stream out with bounded memory (peak RSS < 400 MB, built CLI)', async () => {
    const dir = scratch('million');
    // 1000 files of 1000 distinct checksum-valid fake tokens; JSON findings streamed one per line.
    for (let f = 0; f < 1000; f++) {
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++) lines.push(`k=${token(f * 1000 + i)}`);
      writeFileSync(join(dir, `f${String(f).padStart(4, '0')}.env`), `${lines.join('\n')}\n`);
    }
    const result = await lgChild(['dir', '.', '-f', 'json', '--no-group'], { cwd: dir, wrap: timeWrap, countStdout: true, timeoutMs: 280_000 });
    expect(result.code).toBe(1);
    const summary = summaryOf(result.stdout);
    expect(summary).toMatchObject({ findings: 1_000_000, itemsScanned: 1000, partial: false, warnings: [] });
    // header (3 lines) + one line per finding + closing lines (3)
    expect(result.stdoutLines).toBe(1_000_000 + 7);
    expect(result.stdoutBytes).toBeGreaterThan(300 * MiB);
    expect(peakRssKiB(result.stderr)).toBeLessThan(400 * 1024);
  }, 300_000);
});

describe('SIGINT / SIGTERM (built CLI on a slow input)', () => {
  /** A 2 GiB sparse text file scanned with no size limit takes ~20 s: long enough to interrupt. */
  function slowTree(): string {
    const dir = scratch('signal');
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'first.env'), `T=${token(1)}\n`);
    writeFileSync(join(dir, 'b.log'), `${'text before the hole\n'.repeat(500)}T=${token(2)}\n`);
    truncateSync(join(dir, 'b.log'), 2 * 1024 ** 3);
    writeFileSync(join(dir, 'c.env'), `T=${token(3)}\n`);
    return dir;
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: stops reading, writes a closed report of what was scanned marked partial, exits %i', async (signal, code) => {
    const dir = slowTree();
    let pid = 0;
    let sent = false;
    const result = await lgChild(['dir', '.', '-f', 'json', '--no-group', '--max-file-size', '0'], {
      cwd: dir,
      onSpawn: (p) => (pid = p),
      // The header is written at the start; a second later the scan is deep in the big file.
      onStdout: () => {
        if (sent) return;
        sent = true;
        setTimeout(() => process.kill(pid, signal), 1500);
      },
      timeoutMs: 60_000,
    });
    expect(result.signal).toBe(null);
    expect(result.code).toBe(code);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout) as { findings: { location: { path: string } }[]; summary: { partial: boolean; itemsScanned: number } };
    expect(parsed.summary.partial).toBe(true);
    // a/first.env was scanned before the big file; c.env after it never was.
    expect(parsed.findings.map((f) => f.location.path)).toContain('a/first.env');
    expect(parsed.findings.map((f) => f.location.path)).not.toContain('c.env');
  }, 90_000);

  it('Ctrl-C in a terminal (SIGINT to the whole process group) during a relaunched long scan counts as one interrupt', async () => {
    // `logs` runs in a relaunched child Node (relaunch.ts): the terminal's SIGINT reaches both processes and
    // the parent passes its own on (an IPC message), so the child gets it twice; that must not be "a second signal".
    const dir = slowTree();
    let pid = 0;
    let sent = false;
    const result = await lgChild(['logs', 'b.log', '-f', 'json'], {
      cwd: dir,
      detached: true,
      onSpawn: (p) => (pid = p),
      onStdout: () => {
        if (sent) return;
        sent = true;
        setTimeout(() => process.kill(-pid, 'SIGINT'), 1500);
      },
      timeoutMs: 60_000,
    });
    expect(result.signal).toBe(null);
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout) as { summary: { partial: boolean } };
    expect(parsed.summary.partial).toBe(true);
  }, 90_000);

  it("a relaunching parent's copy of an interrupt is not a second interrupt, however late it arrives", async () => {
    // Busy cores can delay the parent's copy of a terminal's SIGINT by seconds. A scan stuck opening a FIFO
    // cannot close on the first interrupt; it gets its own copy, then the parent's 2 s later. That copy must not
    // end it as a second interrupt would: it ends only when its 10 s grace after the first runs out.
    const fifo = join(scratch('late-copy'), 'app.log');
    execFileSync('mkfifo', [fifo]);
    let pid = 0;
    let first = 0;
    const result = await lgChild(['logs', fifo, '-f', 'json'], {
      onSpawn: (p) => {
        pid = p;
        setTimeout(() => {
          const child = Number(execFileSync('pgrep', ['-P', String(pid), '-f', 'bin.js'], { encoding: 'utf8' }).trim().split('\n')[0]);
          first = Date.now();
          process.kill(child, 'SIGINT');
          setTimeout(() => process.kill(pid, 'SIGINT'), 2000);
        }, 1500);
      },
      timeoutMs: 30_000,
    });
    expect(result.signal).toBe('SIGINT');
    expect(Date.now() - first).toBeGreaterThan(9_000);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 40_000);

  it('a second signal ends a scan stuck where it cannot stop itself (opening a FIFO nobody writes to)', async () => {
    const fifo = join(scratch('fifo'), 'app.log');
    execFileSync('mkfifo', [fifo]);
    let pid = 0;
    const started = Date.now();
    const result = await lgChild(['logs', fifo, '-f', 'json'], {
      onSpawn: (p) => {
        pid = p;
        setTimeout(() => process.kill(pid, 'SIGTERM'), 1500);
        // Both to the parent, which passes each on: the second from the same side is a second interrupt (bin.ts).
        setTimeout(() => process.kill(pid, 'SIGTERM'), 3000);
      },
      timeoutMs: 30_000,
    });
    // Ended by the signal's default action: process.exit() would wait for the thread blocked in open().
    expect(result.signal).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 40_000);
});
