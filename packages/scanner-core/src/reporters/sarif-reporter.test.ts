import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../engine/compiled-rule.js';
import { Engine } from '../engine/engine.js';
import { defaultRulesDir, loadRuleFile } from '../rules/rule-loader.js';
import { scan } from '../scan.js';
import { DirSource } from '../sources/dir-source.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import { multitoolResults, schemaErrors } from '../testing/sarif-validate.js';
import { SarifReporter } from './sarif-reporter.js';

async function sarifOf(root: string): Promise<{ runs: { results: Record<string, unknown>[]; tool: { driver: { rules: Record<string, unknown>[] } } }[] }> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  const engine = new Engine(compileRules(loadRuleFile(join(defaultRulesDir(), 'github.yaml'))));
  await scan({
    sources: [new DirSource([root], { displayRoot: root })],
    engine,
    reporters: [new SarifReporter(out)],
    run: { tool: { name: 'leakguard', version: '0.1.0' }, command: 'dir', root, rules: [] },
  });
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as never;
}

describe('SARIF reporter', () => {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-sarif-'));
  mkdirSync(join(root, 'src dir', 'ünï'), { recursive: true });
  writeFileSync(join(root, 'src dir', 'ünï', 'config #1.js'), `const a = "${fakeGithubToken(11)}";\nconst b = '${fakeGithubToken(12, 'gho')}';\n`);
  writeFileSync(join(root, 'env'), `TOKEN=${fakeGithubToken(13, 'ghs')}\n`);

  it('validates against the official SARIF 2.1.0 schema', async () => {
    const log = await sarifOf(root);
    expect(log.runs[0]?.results.length).toBe(3);
    expect(schemaErrors(log)).toEqual([]);
  });

  it('passes Microsoft\'s SARIF multitool with the GitHub ingestion rules', async () => {
    const log = await sarifOf(root);
    const problems = multitoolResults(log).filter((r) => r.level === 'error' || r.level === 'warning');
    expect(problems).toEqual([]);
  });

  it('gives GitHub what code scanning needs on every result', async () => {
    const log = await sarifOf(root);
    const run = log.runs[0]!;
    const ruleIds = new Set(run.tool.driver.rules.map((r) => r['id']));
    for (const rule of run.tool.driver.rules) {
      expect(rule).toMatchObject({ shortDescription: { text: expect.any(String) }, help: { text: expect.any(String) } });
      expect(Number((rule['properties'] as Record<string, string>)['security-severity'])).toBeGreaterThan(0);
    }
    for (const result of run.results) {
      expect(ruleIds.has(result['ruleId'])).toBe(true);
      const location = (result['locations'] as { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[])[0]!;
      expect(location.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(location.physicalLocation.artifactLocation.uri).not.toMatch(/^\/|^file:|\s/);
      for (const key of ['startLine', 'startColumn', 'endColumn']) expect(location.physicalLocation.region[key]).toBeGreaterThanOrEqual(1);
      expect(Object.keys(result['partialFingerprints'] as object)).not.toHaveLength(0);
    }
    const uris = run.results.map((r) => (r['locations'] as { physicalLocation: { artifactLocation: { uri: string } } }[])[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('src%20dir/%C3%BCn%C3%AF/config%20%231.js');
  });
});
