import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@leakguard/scanner-core';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
import { githubRulesConfig } from '../testing/github-rules-config.js';
import { runCli } from '../testing/run-cli.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-cfgcli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

describe('leakguard config', () => {
  it('prints the effective config found upward from the target, as YAML', async () => {
    const root = tree({ '.leakguard.yaml': "rules:\n  overrides:\n    github.pat-classic: { min_entropy: 4.2 }\nallow:\n  line_regexes: ['(?i)example']\n" });
    const result = await runCli(['config', 'print', root]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`# effective leakguard config from ${join(root, '.leakguard.yaml')}`);
    expect(result.stdout).toContain('decode:\n  depth: 2\n  max_bytes: 1048576\n');
    // What it prints is itself a valid config meaning the same thing.
    expect(parseConfig(result.stdout, 'printed.yaml')).toMatchObject({
      extends: 'default',
      overrides: { 'github.pat-classic': { minEntropy: 4.2 } },
      allow: { lineRegexes: ['(?i)example'], paths: [] },
      decode: { depth: 2, maxBytes: 1048576 },
    });
  });

  it('check: exit 2 naming the file, line and key of every problem; exit 0 when fine', async () => {
    const root = tree({ 'bad.yaml': 'rules:\n  overrides:\n    github.pat-classic:\n      min_entropy: high\nallow:\n  line_regex: [x]\n' });
    const bad = await runCli(['config', 'check', '--config', 'bad.yaml'], { cwd: root });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:4: min_entropy: must be a number from 0 to 8');
    expect(bad.stderr).toContain('bad.yaml:6: line_regex: unknown key under allow');
    const good = await runCli(['config', 'check', '--config', githubRulesConfig()], { cwd: root });
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toMatch(/: OK \(5 rules\)\n$/);
  });
});

describe('scan options from issue 7 on a real tree', () => {
  const valid = fakeGithubToken(901);
  const broken = fakeGithubToken(902).slice(0, -1) + (fakeGithubToken(902).endsWith('A') ? 'B' : 'A');
  const root = tree({
    'app.py': `TOKEN = "${valid}"  # leakguard:allow\nOTHER = "${broken}"\n`,
    'secret.yaml': `kind: Secret\ndata:\n  token: ${Buffer.from(fakeGithubToken(903, 'ghs')).toString('base64')}\n`,
  });
  const config = githubRulesConfig();

  it('honours inline ignores unless --no-inline-ignores, and reports checksum and decoding in JSON', async () => {
    const normal = await runCli(['dir', '.', '-f', 'json', '-j', '1', '--config', config], { cwd: root });
    const report = JSON.parse(normal.stdout) as { findings: { location: { path: string; line: number }; checksum?: string; decoded?: string }[]; summary: { suppressed?: Record<string, number> } };
    expect(report.findings.map((f) => [f.location.path, f.location.line, f.checksum, f.decoded])).toEqual([
      ['app.py', 2, 'invalid', undefined],
      ['secret.yaml', 3, 'valid', 'base64'],
    ]);
    expect(report.summary.suppressed).toEqual({ 'inline-ignore': 1 });
    const audit = await runCli(['dir', '.', '-f', 'json', '-j', '1', '--no-inline-ignores', '--config', config], { cwd: root });
    const all = JSON.parse(audit.stdout) as { findings: { location: { line: number; path: string }; checksum?: string }[] };
    expect(all.findings.map((f) => [f.location.path, f.location.line, f.checksum])).toEqual([
      ['app.py', 1, 'valid'],
      ['app.py', 2, 'invalid'],
      ['secret.yaml', 3, 'valid'],
    ]);
  });

  it('puts decoding and checksum in SARIF result properties', async () => {
    const result = await runCli(['dir', '.', '-f', 'sarif', '-j', '1', '--config', config], { cwd: root });
    const log = JSON.parse(result.stdout) as { runs: { results: { properties: Record<string, unknown> }[] }[] };
    expect(log.runs[0]?.results.map((r) => [r.properties['checksum'], r.properties['decoded']])).toEqual([
      ['invalid', undefined],
      ['valid', 'base64'],
    ]);
  });
});
