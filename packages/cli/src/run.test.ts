import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { commandFirst } from './run.js';
import { runCli } from './testing/run-cli.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

describe('leakguard CLI exit codes', () => {
  const token = fakeGithubToken(21);

  it('exits 0 on a clean tree and 1 when a leak is found', async () => {
    expect((await runCli(['dir', '.'], { cwd: tree({ 'a.txt': 'nothing here\n' }) })).exitCode).toBe(0);
    const dirty = await runCli(['dir', '.', '--no-color'], { cwd: tree({ 'a.txt': `x = ${token}\n` }) });
    expect(dirty.exitCode).toBe(1);
    expect(dirty.stdout).toContain('github.pat-classic');
    expect(dirty.stdout).toContain('a.txt:1:5');
    expect(dirty.stdout).not.toContain(token);
  });

  it('takes flags given before the command name', async () => {
    const dirty = tree({ 'a.txt': `x = ${token}\n` });
    for (const argv of [['-q', 'dir', '.'], ['--no-color', '--strict', 'dir', '.'], ['-f', 'json', 'dir', '.']]) {
      const result = await runCli(argv, { cwd: dirty });
      expect(result.exitCode, argv.join(' ')).toBe(1);
      expect(result.stdout).toContain('github.pat-classic');
    }
    expect(commandFirst(['-q', '--strict', 'git', '.', '-q'], ['git'])).toEqual(['git', '-q', '--strict', '.', '-q']);
    // A value option first: yargs reads it as before (its value may even be a command's name).
    expect(commandFirst(['--config', 'dir', 'git', '.'], ['dir', 'git'])).toEqual(['--config', 'dir', 'git', '.']);
  });

  it('exits 1 with --output and writes the report to the file', async () => {
    const root = tree({ 'a.txt': `x = ${token}\n` });
    const result = await runCli(['dir', '.', '-f', 'json', '-o', 'out.json'], { cwd: root });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    const report = JSON.parse(readFileSync(join(root, 'out.json'), 'utf8')) as { findings: { rule: string; location: { path: string; line: number } }[] };
    expect(report.findings.map((f) => [f.rule, f.location.path, f.location.line])).toEqual([['github.pat-classic', 'a.txt', 1]]);
  });

  it('scans stdin', async () => {
    const result = await runCli(['stdin', '-f', 'json'], { stdin: `line one\ntoken ${token}\n` });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ findings: [{ rule: 'github.pat-classic', location: { path: '<stdin>', line: 2, column: 7 } }] });
  });

  it.each([
    [['nope'], /Unknown argument|Unknown command|Did you mean/i],
    [['dir', '--format', 'xml'], /Invalid values/],
    [[], /name a command/],
    [['dir', '.', '--max-file-size', '10MB'], /^leakguard: --max-file-size takes a number ≥ 0$/m],
    [['dir', '.', '-j', 'two'], /^leakguard: --jobs takes a number ≥ 0$/m],
    [['dir', '.', '--file-timeout', '-1'], /^leakguard: --file-timeout takes a number ≥ 0$/m],
    [['git', '.', '--max-commits', 'ten'], /^leakguard: --max-commits takes a number ≥ 0$/m],
  ])('exits 2 with one clear line for usage error %j', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown option without scanning anything', async () => {
    const root = tree({ 'a.txt': `x = ${token}\n` });
    const result = await runCli(['dir', '--bogus', '-o', 'out.json'], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/Unknown argument: bogus/);
    expect(result.stdout).toBe('');
    expect(() => readFileSync(join(root, 'out.json'))).toThrow();
  });

  it('exits 2 naming the path when an input does not exist', async () => {
    const result = await runCli(['dir', 'missing-dir'], { cwd: tree({}) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('leakguard: missing-dir: cannot scan (ENOENT)\n');
  });

  it('exits 2 naming file, line and key for a bad config, listing every problem', async () => {
    const root = tree({ 'cfg.yaml': 'extends: default\nallow:\n  pathz: [x]\nrules:\n  disable: [no.such-rule]\nbogus: 1\n' });
    const result = await runCli(['dir', '.', '--config', 'cfg.yaml'], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('cfg.yaml:3: pathz: unknown key under allow');
    expect(result.stderr).toContain('cfg.yaml:6: bogus: unknown key');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints a stack trace only with --debug', async () => {
    const root = tree({ 'cfg.yaml': 'bogus: 1\n' });
    expect((await runCli(['dir', '.', '--config', 'cfg.yaml'], { cwd: root })).stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(['dir', '.', '--config', 'cfg.yaml', '--debug'], { cwd: root })).stderr).toMatch(/\n\s+at /);
  });

  it('finds .leakguard.yaml by walking up from the target', async () => {
    const root = tree({ '.leakguard.yaml': "allow:\n  paths: ['a.txt']\n", 'a.txt': `x = ${token}\n` });
    expect((await runCli(['dir', root], { cwd: tmpdir() })).exitCode).toBe(0);
  });
});

describe('leakguard rules', () => {
  it('lists rules and exports patterns for rg -f', async () => {
    const list = await runCli(['rules', 'list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('github.pat-classic');
    const patterns = await runCli(['rules', 'list', '--patterns']);
    expect(patterns.stdout.split('\n')).toContain('(ghp_[A-Za-z0-9]{36})\\b');
  });

  it('checks a user rule file: a good one passes, a bad one names file, line, rule and field', async () => {
    const good = tree({
      'good.yaml': [
        '- id: acme.api-token',
        '  description: ACME API token',
        "  pattern: '\\b(acme_[a-z0-9]{32})\\b'",
        '  keywords: [acme_]',
        '  severity: high',
        "  examples: ['k=acme_q7w2e8r4t1y6u3i5o0p7a2s9d4g1h3j5', 'acme_z8x7c6v5b4n3m2l1k9j8h7g6f5d4s3a2']",
        "  negative_examples: [{ text: 'acme_short', reason: 'too short' }]",
      ].join('\n'),
      'bad.yaml': "- id: Acme\n  description: x\n  pattern: '(a(?=b))'\n  keywords: [A]\n  severity: huge\n  examples: [a]\n",
    });
    const ok = await runCli(['rules', 'check', 'good.yaml'], { cwd: good });
    expect(ok.stdout).toBe('good.yaml: 1 rule OK\n');
    expect(ok.exitCode).toBe(0);
    const bad = await runCli(['rules', 'check', 'bad.yaml'], { cwd: good });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:1: rule Acme: id: must look like provider.kind');
    expect(bad.stderr).toContain('bad.yaml:5: rule Acme: severity: must be one of');
    expect(bad.stderr).toContain('bad.yaml:4: rule Acme: keywords: "A" must be lower-case');
    expect(bad.stderr).toContain('negative_examples: is required');
  });

  it('rejects a pattern RE2 cannot compile, naming the rule', async () => {
    const root = tree({
      'r.yaml': "- id: acme.x\n  description: x\n  pattern: '(a(?=b))'\n  keywords: [a]\n  severity: low\n  examples: [a, a]\n  negative_examples: [{ text: b, reason: r }]\n",
    });
    const result = await runCli(['rules', 'check', 'r.yaml'], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/r\.yaml:1: rule acme\.x: pattern is not valid RE2/);
  });
});
