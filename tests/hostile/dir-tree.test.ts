import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectInputError, lg, lgChild, places, report, scratch, token, warningLines } from './hostile-kit.js';

/** One tree per case, scanned from inside (`dir .`), so report paths are relative to it. */
function tree(name: string, files: Record<string, string | Buffer> = {}): string {
  const root = scratch(name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const GiB = 1024 ** 3;

describe('hostile trees: dir', () => {
  it('a FIFO is skipped as "not a regular file" without opening it for a blocking read', async () => {
    const root = tree('fifo', { 'a.env': `T=${token(1)}\n` });
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(report(result).summary.skipped).toEqual({ 'not a regular file': 1 });
    expect(places(report(result))).toEqual(['a.env:1']);
  });

  it('a symlink loop is a warning per link (ELOOP) and the rest is scanned', async () => {
    const root = tree('loop', { 'a.env': `T=${token(1)}\n` });
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: root });
    const warnings = [
      { input: 'loop1', message: 'broken or looping symlink (ELOOP)' },
      { input: 'loop2', message: 'broken or looping symlink (ELOOP)' },
    ];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(result.exitCode).toBe(1);
    expect(places(report(result))).toEqual(['a.env:1']);
  });

  it('a symlink pointing outside the root is not followed: a warning, and the secret out there is not reported', async () => {
    const outside = tree('outside', { 'secret.env': `T=${token(2)}\n` });
    const root = tree('escape', { 'a.env': `T=${token(1)}\n` });
    symlinkSync(join(outside, 'secret.env'), join(root, 'out.env'));
    symlinkSync(outside, join(root, 'outdir'));
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: root });
    const warnings = [
      { input: 'out.env', message: 'symlink points outside the scanned root; not followed' },
      { input: 'outdir', message: 'symlink points outside the scanned root; not followed' },
    ];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['a.env:1']);
    expect(result.exitCode).toBe(1);
  });

  it('a symlink inside the root is counted as skipped; its target is scanned once', async () => {
    const root = tree('inside', { 'a.env': `T=${token(1)}\n` });
    symlinkSync('a.env', join(root, 'b.env'));
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(report(result).summary.skipped).toEqual({ 'symlink inside the root (target scanned)': 1 });
    expect(places(report(result))).toEqual(['a.env:1']);
  });

  it('a file name with a newline is scanned and printed escaped on one line', async () => {
    const root = tree('newline', { 'new\nline.env': `T=${token(1)}\n` });
    const json = await lg(['dir', '.', '-f', 'json'], { cwd: root });
    expect(places(report(json))).toEqual(['new\nline.env:1']);
    const text = await lg(['dir', '.'], { cwd: root });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('  at new\\nline.env:1:3\n');
  });

  it('file and directory names that are not valid UTF-8 are scanned, reported with \\xNN escapes', async () => {
    const root = tree('bytes');
    const rootBytes = Buffer.from(root);
    writeFileSync(Buffer.concat([rootBytes, Buffer.from('/bad\xff.env', 'latin1')]), `T=${token(1)}\n`);
    const sub = Buffer.concat([rootBytes, Buffer.from('/sub\xfe', 'latin1')]);
    mkdirSync(sub);
    writeFileSync(Buffer.concat([sub, Buffer.from('/x.env')]), `T=${token(2)}\n`);
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(places(report(result))).toEqual(['bad\\xff.env:1', 'sub\\xfe/x.env:1']);
    expect(report(result).summary.itemsScanned).toBe(2);
  });

  it('unreadable files and directories (EACCES, even for root without CAP_DAC_*) are warnings; the rest is reported', async () => {
    const root = tree('eacces', { 'a.env': `T=${token(1)}\n`, 'locked.env': `T=${token(2)}\n`, 'closed/c.env': `T=${token(3)}\n` });
    chmodSync(join(root, 'locked.env'), 0o000);
    chmodSync(join(root, 'closed'), 0o000);
    // Tests run as root, which reads anything: drop the DAC override capabilities so permissions apply.
    const dropDac = ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--inh-caps', '-dac_override,-dac_read_search'];
    const result = await lgChild(['dir', '.', '-f', 'json'], { cwd: root, wrap: dropDac });
    const warnings = [
      { input: 'closed', message: 'cannot read directory (EACCES)' },
      { input: 'locked.env', message: 'cannot read file (EACCES)' },
    ];
    expect(result.stderr).toBe(warningLines(warnings));
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as ReturnType<typeof report>;
    expect(parsed.summary.warnings).toEqual(warnings);
    expect(places(parsed)).toEqual(['a.env:1']);
  });

  it('a 2 GB sparse file is not read: over the default --max-file-size (1 GiB) it is a warning naming file and limit', async () => {
    const root = tree('sparse', { 'a.env': `T=${token(1)}\n`, 'huge.log': `T=${token(2)}\n`.repeat(400) });
    truncateSync(join(root, 'huge.log'), 2 * GiB);
    const result = await lg(['dir', '.', '-f', 'json'], { cwd: root });
    const warnings = [{ input: 'huge.log', message: `larger than --max-file-size (${2 * GiB} > ${GiB} bytes); not scanned` }];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['a.env:1']);
    expect(result.exitCode).toBe(1);
  });

  it('with --strict the same warning makes the exit code 2, after the full report is written', async () => {
    const root = tree('strict', { 'a.env': `T=${token(1)}\n` });
    writeFileSync(join(root, 'huge.log'), '');
    truncateSync(join(root, 'huge.log'), 2 * GiB);
    const result = await lg(['dir', '.', '-f', 'json', '--strict'], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      warningLines([{ input: 'huge.log', message: `larger than --max-file-size (${2 * GiB} > ${GiB} bytes); not scanned` }]) +
        'leakguard: --strict: 1 warning (input skipped or cut short); exit 2\n',
    );
    expect(places(report(result))).toEqual(['a.env:1']);
  });

  it('--strict without warnings keeps the usual exit code', async () => {
    const root = tree('strict-clean', { 'a.env': `T=${token(1)}\n` });
    const result = await lg(['dir', '.', '--strict'], { cwd: root });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('');
  });

  it('a 2 GB sparse file of zeros with no size limit is sniffed as binary from its head and skipped, not read', async () => {
    const root = tree('zeros', { 'a.env': `T=${token(1)}\n` });
    writeFileSync(join(root, 'disk.img'), '');
    truncateSync(join(root, 'disk.img'), 2 * GiB);
    const result = await lg(['dir', '.', '-f', 'json', '--max-file-size', '0'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(report(result).summary).toMatchObject({ skipped: { binary: 1 }, itemsScanned: 1, bytesScanned: `T=${token(1)}\n`.length });
    expect(result.exitCode).toBe(1);
  });

  it('--max-file-size is exact: a file of that size is scanned, one byte more is a warning', async () => {
    const line = `T=${token(1)}\n`;
    const root = tree('boundary', { 'fits.env': line, 'over.env': `${line}x` });
    const result = await lg(['dir', '.', '-f', 'json', '--max-file-size', String(line.length)], { cwd: root });
    expect(report(result).summary.warnings).toEqual([{ input: 'over.env', message: `larger than --max-file-size (${line.length + 1} > ${line.length} bytes); not scanned` }]);
    expect(places(report(result))).toEqual(['fits.env:1']);
  });

  it('a path that does not exist is an error: one line naming it, exit 2', async () => {
    const root = tree('missing');
    expectInputError(await lg(['dir', 'no/such/dir', '-f', 'json'], { cwd: root }), 'no/such/dir: cannot scan (ENOENT)');
  });
});
