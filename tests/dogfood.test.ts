import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../packages/cli/src/testing/run-cli.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

describe('dogfood', () => {
  it('leakguard scans its own repository clean with its own config', async () => {
    const result = await runCli(['dir', '.', '--no-color'], { cwd: repo });
    expect(result.stdout).toMatch(/0 leaks found/);
    expect(result.exitCode).toBe(0);
  });

  it('scans its own history clean with its own config and the baseline of fake tokens early commits wrote literally', async () => {
    const result = await runCli(['git', '.', '--baseline', '.leakguard-baseline.json', '--no-color'], { cwd: repo });
    expect(result.stdout).toMatch(/0 leaks found/);
    expect(result.exitCode).toBe(0);
  }, 60_000);
});
