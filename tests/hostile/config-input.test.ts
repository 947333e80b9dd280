import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { scratch, token } from './hostile-kit.js';

/** A user rule in the rules/*.yaml format, indented for `rules.add`. */
function userRule(id: string, pattern: string, keyword: string, examples: readonly [string, string], negative: string): string {
  return [
    `    - id: ${id}`,
    `      description: hostile test rule`,
    `      pattern: '${pattern}'`,
    `      keywords: [${keyword}]`,
    `      severity: low`,
    `      examples: ['${examples[0]}', '${examples[1]}']`,
    `      negative_examples: [{ text: '${negative}', reason: 'does not match' }]`,
  ].join('\n');
}

function config(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('hostile configuration and rules', () => {
  it('malformed YAML: exit 2, each problem names the file and line, nothing scanned', async () => {
    const dir = scratch('yaml');
    const path = config(dir, 'bad.yaml', 'extends: none\nrules:\n  add: [\n    - id: x\n');
    const result = await runCli(['dir', '.', '-c', path], { cwd: dir });
    expect(result).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        `leakguard: 2 problems:\n` +
        `  ${path}:4: invalid YAML: Block collections are not allowed within flow collections\n` +
        `  ${path}:5: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n`,
    });
  });

  it('valid YAML of the wrong shape: every problem listed with its line', async () => {
    const dir = scratch('shape');
    const path = config(dir, 'shape.yaml', 'extends: none\nrules: 5\nallow:\n  paths: [3, {a: 1}]\n');
    const result = await runCli(['dir', '.', '-c', path], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `leakguard: 2 problems:\n  ${path}:2: rules: must be a mapping with disable, add, overrides\n  ${path}:4: paths: must be a list of non-empty strings\n`,
    );
  });

  it('a config with a UTF-8 BOM and CRLF line endings is read like any other', async () => {
    const dir = scratch('bom-config');
    const path = config(dir, 'crlf.yaml', `\ufeffextends: none\r\nrules:\r\n  add:\r\n${userRule('acme.token', '(acme_[a-z]{12})', 'acme_', ['acme_abcdefghijkl', 'k=acme_zyxwvutsrqpo'], 'acme_short').replace(/\n/g, '\r\n')}\r\n`);
    writeFileSync(join(dir, 'a.txt'), 'k=acme_qwertyuiopas\n');
    const result = await runCli(['dir', 'a.txt', '-c', path, '-f', 'json', '--no-color'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect((JSON.parse(result.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toEqual(['acme.token']);
  });

  it('a rule whose pattern RE2 rejects (lookahead): a clear error naming file, line, rule and the operator', async () => {
    const dir = scratch('re2');
    const path = config(dir, 're2.yaml', `extends: none\nrules:\n  add:\n${userRule('acme.lookahead', '(?=acme_)(acme_[a-z]{8})', 'acme_', ['acme_abcdefgh', 'k=acme_hgfedcba'], 'acme_x')}\n`);
    const result = await runCli(['dir', '.', '-c', path], { cwd: dir });
    expect(result).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `leakguard: ${path}:4: rule acme.lookahead: pattern is not valid RE2: invalid perl operator: (?=\n`,
    });
  });

  it('a rule with a backreference is rejected the same way', async () => {
    const dir = scratch('backref');
    const path = config(dir, 'backref.yaml', `extends: none\nrules:\n  add:\n${userRule('acme.backref', '(acme_)\\1', 'acme_', ['acme_acme_', 'k=acme_acme_'], 'acme_')}\n`);
    const result = await runCli(['dir', '.', '-c', path], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`leakguard: ${path}:4: rule acme.backref: pattern is not valid RE2: invalid escape sequence: \\1\n`);
  });

  it('an allow regex RE2 rejects is a config error naming key and index', async () => {
    const dir = scratch('allow-re');
    const path = config(dir, 'allow.yaml', `allow:\n  regexes: ['(?<=x)y']\n`);
    const result = await runCli(['dir', '.', '-c', path], { cwd: dir });
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: `leakguard: ${path}:2: allow.regexes[0]: not valid RE2: invalid perl operator: (?<=\n` });
  });

  it.each([
    ['nested quantifiers', '((a+)+b)', 'b'],
    ['overlapping alternation', '((a|aa)*c)', 'c'],
    ['quantified overlap', '((a*)*a*b)', 'b'],
  ])('a catastrophic-looking rule (%s) runs in linear time under RE2 on 10 MB of adversarial input', async (_name, pattern, end) => {
    const dir = scratch('redos');
    const path = config(dir, 'redos.yaml', `extends: none\nrules:\n  add:\n${userRule('acme.redos', pattern, 'aaaa', [`aaaa${end}`, `x aaaaa${end}`], 'aaaa')}\n`);
    // 'a' * 10 MB, no b/c: a backtracking engine would take exponential time at every start position.
    const input = Buffer.alloc(10 * 1024 * 1024, 'a');
    const result = await runCli(['stdin', '-c', path, '-f', 'json', '-j', '1'], { cwd: dir, stdin: input });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ findings: [], summary: { bytesScanned: input.length, partial: false } });
  }, 120_000);
});

describe('hostile reports given to merge', () => {
  it.each([
    ['truncated JSON', 'a.json', '{"version": 1, "findings": [', 'not a JSON or SARIF report (invalid JSON: it ends early (truncated?))'],
    ['truncated SARIF', 'b.sarif', '{"version":"2.1.0","runs":[{"tool":', 'not a JSON or SARIF report (invalid JSON: it ends early (truncated?))'],
    ['JSON of the wrong shape', 'c.json', '{"findings": 5}', 'neither a leakguard JSON report nor a SARIF 2.1.0 log'],
    ['SARIF whose run lacks a tool', 'd.sarif', '{"version":"2.1.0","runs":[{"results":[]}]}', 'SARIF runs[0] lacks tool or results'],
  ])('%s: one line naming the file, exit 2, no output', async (_name, file, content, message) => {
    const dir = scratch('merge');
    writeFileSync(join(dir, file), content);
    expect(await runCli(['merge', file], { cwd: dir })).toEqual({ exitCode: 2, stdout: '', stderr: `leakguard: ${file}: ${message}\n` });
  });

  it('a "report" that is really an .env file: the error quotes none of it', async () => {
    const dir = scratch('merge-env');
    const secret = token(7);
    writeFileSync(join(dir, 'x.json'), `{"a": ${secret}}\n`);
    writeFileSync(join(dir, 'y.json'), `GITHUB_TOKEN=${secret}\n`);
    const x = await runCli(['merge', 'x.json'], { cwd: dir });
    expect(x).toEqual({ exitCode: 2, stdout: '', stderr: 'leakguard: x.json: not a JSON or SARIF report (invalid JSON)\n' });
    const y = await runCli(['merge', 'y.json'], { cwd: dir });
    expect(y.stderr).toBe('leakguard: y.json: not a JSON or SARIF report (invalid JSON)\n');
    expect(x.stderr + y.stderr).not.toContain(secret.slice(0, 8));
  });

  it('a missing report file is one line naming it', async () => {
    const dir = scratch('merge-missing');
    expect(await runCli(['merge', 'nope.json'], { cwd: dir })).toEqual({ exitCode: 2, stdout: '', stderr: 'leakguard: nope.json: cannot read report (ENOENT)\n' });
  });
});
