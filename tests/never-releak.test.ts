import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules, Engine, loadRuleDir, wholeChunk } from '../packages/scanner-core/src/index.js';
import { REPORT_FORMATS } from '../packages/scanner-core/src/reporters/index.js';
import { runCli } from '../packages/cli/src/testing/run-cli.js';
import { examplePathFor } from '../packages/scanner-core/src/testing/example-path.js';

/**
 * Builds a tree from every rule's examples (hundreds of distinct fake secrets of every provider), scans it
 * through every report format with --debug, and checks that no secret value appears in any byte written.
 */
const rules = loadRuleDir();
const engine = new Engine(compileRules(rules));
const root = mkdtempSync(join(tmpdir(), 'leakguard-releak-'));
const secrets = new Set<string>();
rules.forEach((rule, i) => {
  const path = join(root, `${String(i).padStart(3, '0')}-${rule.id}`, examplePathFor(rule.paths));
  mkdirSync(dirname(path), { recursive: true });
  const text = rule.examples.join('\n') + '\n';
  writeFileSync(path, text);
  for (const f of engine.scan(wholeChunk(Buffer.from(text), { kind: 'file', path }))) secrets.add(f.secret.reveal());
});

function leaked(text: string): string[] {
  return [...secrets].filter((s) => text.includes(s));
}

describe('never re-leak', () => {
  it('plants at least 30 distinct secrets', () => {
    expect(secrets.size).toBeGreaterThanOrEqual(30);
  });

  it.each(REPORT_FORMATS)('writes no secret in %s output, stdout or stderr (with --debug)', async (format) => {
    const toStdout = await runCli(['dir', root, '--format', format, '--debug'], { cwd: root });
    expect(toStdout.exitCode).toBe(1);
    expect(leaked(toStdout.stdout + toStdout.stderr)).toEqual([]);
    const outDir = mkdtempSync(join(tmpdir(), 'leakguard-out-'));
    const toFile = await runCli(['dir', root, '--format', format, '--debug', '-o', join(outDir, `report.${format}`)], { cwd: root });
    expect(toFile.exitCode).toBe(1);
    const written = readdirSync(outDir).map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n');
    expect(written.length).toBeGreaterThan(100);
    expect(leaked(written + toFile.stdout + toFile.stderr)).toEqual([]);
  });
});
