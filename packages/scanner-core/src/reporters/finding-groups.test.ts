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
import { FindingGrouper, type FindingGroup } from './finding-groups.js';
import { JsonReporter } from './json-reporter.js';
import type { Reporter } from './reporter.js';
import { SarifReporter } from './sarif-reporter.js';
import { TextReporter } from './text-reporter.js';

const engine = new Engine(compileRules(loadRuleFile(join(defaultRulesDir(), 'github.yaml'))), { decode: { depth: 2, maxBytes: 1 << 20 } });
const shared = fakeGithubToken(701);
const single = fakeGithubToken(702, 'gho');
const root = mkdtempSync(join(tmpdir(), 'leakguard-groups-'));
mkdirSync(join(root, 'src'));
writeFileSync(join(root, 'src', 'a.js'), `const t = "${shared}";\nconst again = "${shared}";\n`);
writeFileSync(join(root, 'b.env'), `TOKEN=${shared}\nOTHER=${single}\n`);
writeFileSync(join(root, 'secret.yaml'), `kind: Secret\ndata:\n  token: ${Buffer.from(shared).toString('base64')}\n`);

async function report(make: (out: PassThrough) => Reporter): Promise<string> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  await scan({
    sources: [new DirSource(['.'], { cwd: root })],
    engine,
    reporters: [make(out)],
    run: { tool: { name: 'leakguard', version: 't' }, command: 'dir', root, rules: [] },
  });
  return Buffer.concat(parts).toString('utf8');
}

interface JsonFinding {
  rule: string;
  occurrences?: number;
  decoded?: string;
  location: { path: string; line: number };
  locations?: { path: string; line: number; locationFingerprint: string; decoded?: string }[];
}

describe('grouping one secret found at many places', () => {
  it('JSON: one entry per secret with occurrences and every location, the old fields kept', async () => {
    const json = JSON.parse(await report((out) => new JsonReporter(out))) as { findings: JsonFinding[]; summary: { findings: number } };
    expect(json.summary.findings).toBe(5);
    expect(json.findings).toHaveLength(2);
    const group = json.findings.find((f) => f.occurrences === 4);
    expect(group?.location).toMatchObject({ path: 'b.env', line: 1 });
    expect(group?.locations?.map((l) => [l.path, l.line, l.decoded])).toEqual([
      ['b.env', 1, undefined],
      ['secret.yaml', 3, 'base64'],
      ['src/a.js', 1, undefined],
      ['src/a.js', 2, undefined],
    ]);
    expect(new Set(group?.locations?.map((l) => l.locationFingerprint)).size).toBe(4);
    const ungrouped = JSON.parse(await report((out) => new JsonReporter(out, { group: false }))) as { findings: JsonFinding[] };
    expect(ungrouped.findings).toHaveLength(5);
    expect(ungrouped.findings.find((f) => f.decoded === 'base64')?.location.path).toBe('secret.yaml');
  });

  it('text: one block per secret listing its places', async () => {
    const text = await report((out) => new TextReporter(out));
    expect(text.match(/^CRITICAL /gm)).toHaveLength(2);
    expect(text).toContain('  at b.env:1:7\n  also at secret.yaml:3:10 (decoded base64)\n  also at src/a.js:1:12\n  also at src/a.js:2:16\n');
    expect(text).toContain('5 leaks found (2 distinct secrets)');
    expect((await report((out) => new TextReporter(out, { group: false }))).match(/^CRITICAL /gm)).toHaveLength(5);
  });

  it('SARIF: one result per place, related by the same secret fingerprint, decoding in properties', async () => {
    const log = JSON.parse(await report((out) => new SarifReporter(out))) as {
      runs: { results: { fingerprints: Record<string, string>; properties: Record<string, unknown> }[] }[];
    };
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(5);
    const bySecret = new Map<string, number>();
    for (const r of results) bySecret.set(r.fingerprints['leakguardSecret/v1'] ?? '', (bySecret.get(r.fingerprints['leakguardSecret/v1'] ?? '') ?? 0) + 1);
    expect([...bySecret.values()].sort()).toEqual([1, 4]);
    expect(results.filter((r) => r.properties['decoded'] === 'base64')).toHaveLength(1);
  });

  it('keeps memory bounded: at most maxGroups groups of maxLocations places, the oldest written early', async () => {
    const flushed: FindingGroup[] = [];
    const grouper = new FindingGrouper(async (g) => void flushed.push(g), { maxGroups: 2, maxLocations: 3 });
    const chunk = (text: string) => engine.scan({ data: Buffer.from(text), origin: { kind: 'log', path: 'app.log' }, offset: 0, line: 1, column: 1, ownedStart: 0, ownedEnd: text.length });
    const [a] = chunk(fakeGithubToken(711));
    const [b] = chunk(fakeGithubToken(712));
    const [c] = chunk(fakeGithubToken(713));
    for (let i = 0; i < 10; i++) await grouper.add(a!);
    await grouper.add(b!);
    expect(flushed).toHaveLength(0);
    await grouper.add(c!);
    expect(flushed.map((g) => [g.first.fingerprint, g.occurrences, g.locations.length])).toEqual([[a!.fingerprint, 10, 3]]);
    await grouper.end();
    expect(flushed.map((g) => g.first.fingerprint)).toEqual([a!.fingerprint, b!.fingerprint, c!.fingerprint]);
  });
});
