import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
// Fake tokens are built at run time: the repository scans itself clean.
const FAKE_GHP_1 = fakeGithubToken(9102, 'ghp');
const FAKE_GHO_2 = fakeGithubToken(9103, 'gho');

const TOKEN = FAKE_GHP_1;
const TOKEN2 = FAKE_GHO_2;
// The real binary, as a log pipeline runs it (built by `tsc -b packages/scanner-core packages/cli`).
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

function startRedact(): { child: ChildProcessWithoutNullStreams; output: () => string; waitFor: (text: string) => Promise<void>; exit: Promise<number | null> } {
  expect(existsSync(BIN), `${BIN} missing: run npx tsc -b packages/scanner-core packages/cli first`).toBe(true);
  const child = spawn(process.execPath, [BIN, 'redact'], { cwd: tmpdir() });
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (text: string): Promise<void> => {
    while (!out.includes(text)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => out, waitFor, exit };
}

describe('leakguard redact (child process)', () => {
  it('emits each redacted line before stdin closes, and the rest at EOF', async () => {
    const r = startRedact();
    r.child.stdin.write(`2024-01-01T00:00:00Z login token=${TOKEN}\n`);
    await r.waitFor('\n');
    expect(r.child.stdin.writableEnded).toBe(false);
    expect(r.output()).toBe('2024-01-01T00:00:00Z login token=[REDACTED:github.pat-classic]\n');
    r.child.stdin.write('second line, clean\nincomplete ');
    await r.waitFor('clean\n');
    expect(r.output()).not.toContain('incomplete');
    r.child.stdin.end(`${TOKEN2}`);
    expect(await r.exit).toBe(0);
    expect(r.output()).toBe('2024-01-01T00:00:00Z login token=[REDACTED:github.pat-classic]\nsecond line, clean\nincomplete [REDACTED:github.oauth-token]');
  });

  it('flushes the pending partial line, redacted, on SIGTERM', async () => {
    const r = startRedact();
    r.child.stdin.write('ready\n');
    await r.waitFor('ready\n');
    r.child.stdin.write(`no newline yet ${TOKEN}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(143);
    expect(r.output()).toBe('ready\nno newline yet [REDACTED:github.pat-classic]');
  });
});

describe('leakguard redact (in-process)', () => {
  it('filters stdin to stdout byte for byte apart from secrets', async () => {
    const input = Buffer.concat([Buffer.from(`a ${TOKEN}\r\n`), Buffer.from([0xff, 0x00, 0xc3, 0x0a])]);
    const result = await runCli(['redact'], { stdin: input });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(Buffer.concat([Buffer.from('a [REDACTED:github.pat-classic]\r\n'), Buffer.from([0xff, 0x00, 0xc3, 0x0a])]).toString());
  });

  it('--in-place rewrites a file atomically; a missing file is a one-line error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leakguard-redact-'));
    await writeFile(join(dir, 'app.log'), `x ${TOKEN}\ny\n`);
    expect((await runCli(['redact', '--in-place', 'app.log'], { cwd: dir })).exitCode).toBe(0);
    expect(await readFile(join(dir, 'app.log'), 'utf8')).toBe('x [REDACTED:github.pat-classic]\ny\n');
    const missing = await runCli(['redact', '--in-place', 'gone.log'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^leakguard: --in-place .*gone\.log: cannot read \(ENOENT\)\n$/);
  });
});
