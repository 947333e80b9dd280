import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, useHermeticGit } from '../../packages/scanner-core/src/testing/git-test-repo.js';
import { builtCli, ensureBuilt, githubConfig, lgChild, scratch, token } from './hostile-kit.js';

beforeAll(() => {
  useHermeticGit();
  ensureBuilt();
}, 120_000);

/**
 * The built CLI with its stdout read until `keep` bytes, then closed (what `| head -c keep` does; 0: closed
 * before anything is read): the rest of the output meets a reader that is gone.
 */
function withReaderGone(argv: readonly string[], keep: number, cwd: string): Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const scanning = argv[0] !== 'rules'; // a scan takes the test config; `rules list` takes no options
    const child = spawn(process.execPath, [builtCli, ...argv, ...(scanning ? ['-c', githubConfig, '--no-color'] : [])], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let seen = 0;
    if (keep === 0) child.stdout.destroy();
    child.stdout.on('data', (b: Buffer) => {
      seen += b.length;
      if (seen >= keep) child.stdout.destroy();
    });
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started });
    });
  });
}

describe('a report whose destination stops taking it', () => {
  it('a full history scan whose reader goes away ends at once with one line (git cat-file is not left running)', async () => {
    // 3,000 commits with a token each: a JSON report far larger than a pipe's buffer, and a scan still reading
    // the history when the reader goes. Before, cat-file was left blocked writing to us, and we waited for it.
    const repo = TestRepo.create();
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const content = `KEY_${i}=${token(i)}\n${'filler line\n'.repeat(200)}`;
      lines.push(`commit refs/heads/main\ncommitter T <t@example.com> ${1_700_000_000 + i} +0000\ndata 2\nc\n`);
      lines.push(`M 100644 inline f${i}.env\ndata ${Buffer.byteLength(content)}\n${content}\n`);
    }
    repo.fastImport(lines.join(''));
    const result = await withReaderGone(['git', repo.dir, '-f', 'json', '--no-group'], 1024, repo.dir);
    expect(result.signal).toBe(null);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('leakguard: standard output was closed by its reader (EPIPE); the report is incomplete\n');
    expect(result.ms).toBeLessThan(30_000);
  }, 90_000);

  it('a command that is not a scan says so too, without a stack trace (rules list into a closed pipe)', async () => {
    const result = await withReaderGone(['rules', 'list'], 0, scratch('rules-list'));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('leakguard: standard output was closed by its reader (EPIPE); the output is incomplete\n');
  }, 60_000);

  it.each([
    ['dir', (dir: string) => ['dir', dir]],
    ['logs', (dir: string) => ['logs', join(dir, 'app.log')]],
  ] as const)('%s: a report to a full disk is one line naming the file, exit 2', async (_name, args) => {
    const dir = scratch('full-disk');
    writeFileSync(join(dir, 'app.log'), `${Array.from({ length: 50 }, (_, i) => `t=${token(i)}`).join('\n')}\n`);
    const result = await lgChild([...args(dir), '-f', 'json', '-o', '/dev/full'], { cwd: dir, timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('leakguard: /dev/full: cannot write the report (ENOSPC)\n');
  }, 60_000);
});
