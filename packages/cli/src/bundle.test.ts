import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** Runs `run(args)` from one build of the CLI (the modules or the bundle) in a fresh Node. */
function runBuild(entry: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const driver = `const { run } = await import(process.argv[1]);
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin,
  cwd: process.cwd(), env: process.env, stdoutIsTTY: false, stderrIsTTY: false, signal: new AbortController().signal });`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', driver, join(dist, entry), ...args], { cwd, encoding: 'utf8' });
}

describe('the CLI bundle (scripts/bundle-cli.mjs)', () => {
  it('exists after the build and reports exactly what the unbundled modules report', () => {
    expect(existsSync(join(dist, 'bundle/run.js'))).toBe(true);
    expect(existsSync(join(dist, 'bundle/engine-worker.js'))).toBe(true);
    const root = mkdtempSync(join(tmpdir(), 'leakguard-bundle-'));
    writeFileSync(join(root, 'deploy.sh'), `export GITHUB_TOKEN=${fakeGithubToken(41)}\n`);
    writeFileSync(join(root, 'notes.md'), '# nothing to see\n');
    const outputs = ['run.js', 'bundle/run.js'].map((entry) => {
      const result = runBuild(entry, ['dir', '.', '-f', 'json'], root);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(1);
      return result.stdout.replace(/"durationMs":\d+/, '"durationMs":0');
    });
    expect((JSON.parse(outputs[0] ?? '{}') as { findings: unknown[] }).findings).toHaveLength(1);
    expect(outputs[1]).toBe(outputs[0]);
    // Help text is laid out by string-width, whose Intl.Segmenter the bundle builds on first use.
    const help = ['run.js', 'bundle/run.js'].map((entry) => runBuild(entry, ['--help'], root).stdout);
    expect(help[0]).toContain('leakguard dir [paths..]');
    expect(help[1]).toBe(help[0]);
    // The version comes from packages/cli/package.json in both layouts.
    const versions = ['run.js', 'bundle/run.js'].map((entry) => runBuild(entry, ['--version'], root).stdout);
    expect(versions[0]).toMatch(/^\d+\.\d+\.\d+/);
    expect(versions[1]).toBe(versions[0]);
  });
});
