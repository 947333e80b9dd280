import { execFileSync } from 'node:child_process';
import { appendFile, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../finding.js';
import { LogState } from './log-state.js';
import { collectLogScan, fakeToken, tempDir } from './log-test-kit.js';

/** One incremental run over `inputs` with the state file next to `dir`, as `leakguard logs --state` does it. */
async function run(dir: string, inputs: readonly string[] = ['.']): Promise<Finding[]> {
  const statePath = `${dir}.state/logs.json`;
  const state = await LogState.load(statePath);
  const { findings } = await collectLogScan(inputs, { cwd: dir, state }, { allOccurrences: true });
  await state.save(statePath);
  return findings;
}

const where = (findings: readonly Finding[]): [string, string, number][] =>
  findings.map((f) => [f.origin.path, f.secret.reveal(), f.location.line]);

describe('incremental audits (--state)', () => {
  it('scans only appended bytes, with the right line numbers', async () => {
    const dir = await tempDir('state-append');
    const [a, b, c] = [fakeToken(), fakeToken(), fakeToken()];
    await writeFile(join(dir, 'app.log'), `line 1\nline 2 ${a}\n`);
    expect(where(await run(dir, ['app.log']))).toEqual([['app.log', a, 2]]);
    expect(await run(dir, ['app.log'])).toEqual([]);
    await appendFile(join(dir, 'app.log'), `line 3\nline 4 ${b}\nline 5 ${c}\n`);
    expect(where(await run(dir, ['app.log']))).toEqual([
      ['app.log', b, 4],
      ['app.log', c, 5],
    ]);
  });

  it('rescans an incomplete last line once it is complete, without repeating what was reported', async () => {
    const dir = await tempDir('state-partial');
    const [a, b] = [fakeToken(), fakeToken()];
    await writeFile(join(dir, 'app.log'), `first ${a}\nsecond ${b} still writing`);
    expect(where(await run(dir))).toEqual([
      ['app.log', a, 1],
      ['app.log', b, 2],
    ]);
    const c = fakeToken();
    await appendFile(join(dir, 'app.log'), ` more ${c}\n`);
    expect(where(await run(dir))).toEqual([['app.log', c, 2]]);
  });

  it('follows rotation app.log → app.log.1 → app.log.2.gz without rescanning or missing data', async () => {
    const dir = await tempDir('state-rotate');
    const t = Array.from({ length: 6 }, () => fakeToken());
    const filler = Array.from({ length: 100 }, (_, i) => `2024-01-01T00:00:00Z INFO filler ${i}`).join('\n');
    await writeFile(join(dir, 'app.log'), `${filler}\nold ${t[0]}\n`);
    expect(where(await run(dir))).toEqual([['app.log', t[0], 101]]);

    // More lines land in app.log, then logrotate renames it and the app starts a new file.
    await appendFile(join(dir, 'app.log'), `late ${t[1]}\n`);
    await rename(join(dir, 'app.log'), join(dir, 'app.log.1'));
    await writeFile(join(dir, 'app.log'), `fresh ${t[2]}\n`);
    expect(where(await run(dir))).toEqual([
      ['app.log.1', t[1], 102],
      ['app.log', t[2], 1],
    ]);

    // Next rotation: app.log.1 is compressed to app.log.2.gz (a new inode, gzip), app.log → app.log.1.
    await appendFile(join(dir, 'app.log'), `more ${t[3]}\n`);
    await writeFile(join(dir, 'app.log.2.gz'), execFileSync('gzip', ['-c', join(dir, 'app.log.1')]));
    await rename(join(dir, 'app.log'), join(dir, 'app.log.1'));
    await writeFile(join(dir, 'app.log'), `newest ${t[4]}\n`);
    expect(where(await run(dir))).toEqual([
      ['app.log.1', t[3], 2],
      ['app.log', t[4], 1],
    ]);
    // An unchanged archive is not even decoded again.
    await appendFile(join(dir, 'app.log'), `last ${t[5]}\n`);
    expect(where(await run(dir))).toEqual([['app.log', t[5], 2]]);
  });

  it('scans a file again from the start after copytruncate or a rewrite', async () => {
    const dir = await tempDir('state-truncate');
    const [a, b, c] = [fakeToken(), fakeToken(), fakeToken()];
    await writeFile(join(dir, 'app.log'), `one ${a}\ntwo\nthree\n`);
    await run(dir);
    await truncate(join(dir, 'app.log'), 0);
    await writeFile(join(dir, 'app.log'), `x ${b}\n`);
    expect(where(await run(dir))).toEqual([['app.log', b, 1]]);
    // Same size and head, different bytes before the resume point: the tail hash catches it.
    const same = (await readFile(join(dir, 'app.log'), 'utf8')).replace(b, c);
    await writeFile(join(dir, 'app.log'), same);
    expect(where(await run(dir))).toEqual([['app.log', c, 1]]);
  });

  it('writes the state atomically and rejects a corrupt one with a one-line error', async () => {
    const dir = await tempDir('state-file');
    await writeFile(join(dir, 'app.log'), `x ${fakeToken()}\n`);
    await run(dir);
    const saved = JSON.parse(await readFile(`${dir}.state/logs.json`, 'utf8')) as { version: number; files: { path: string; line: number; offset: number }[] };
    expect(saved.version).toBe(1);
    expect(saved.files.map((f) => [f.path, f.line, f.offset])).toEqual([['app.log', 2, 43]]);
    await writeFile(join(dir, 'bad.json'), '{"version": 7}');
    await expect(LogState.load(join(dir, 'bad.json'))).rejects.toThrow(/^--state .*bad\.json: not a valid state file/);
  });
});
