import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from './chunk.js';
import { DEFAULT_CONFIG } from './config/config.js';
import type { MatchedFindings } from './engine/engine.js';
import { InlineMatcher, WorkerPoolMatcher, type ChunkMatcher } from './engine/worker-pool.js';
import type { Finding } from './finding.js';
import { scan } from './scan.js';
import { createScanner } from './scanner.js';
import { GitHistorySource } from './sources/git/git-history-source.js';
import type { Shard } from './sources/shard.js';
import { fakeGithubToken, randomString, seededRandom } from './testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from './testing/git-test-repo.js';

const repos: TestRepo[] = [];
beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

const WORDS = 'abcdefghijklmnopqrstuvwxyz     ';
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Counts the chunks matched only around their changes (DeltaMatcher hands the inner matcher windows). */
class CountingMatcher extends InlineMatcher {
  focused = 0;
  whole = 0;

  override match(chunk: Chunk): MatchedFindings {
    if (chunk.focus === undefined) this.whole++;
    else this.focused++;
    return super.match(chunk);
  }
}

async function findingsOf(repo: TestRepo, delta: boolean, pooled = false, shard?: Shard): Promise<{ findings: string[]; focused: number }> {
  const scanner = createScanner(DEFAULT_CONFIG);
  const counting = new CountingMatcher(scanner.engine);
  let matcher: ChunkMatcher = counting;
  if (pooled) {
    const pool = new WorkerPoolMatcher(counting, { config: DEFAULT_CONFIG }, 2, 0);
    await pool.whenReady();
    matcher = pool;
  }
  const found: Finding[] = [];
  await scan({
    sources: [new GitHistorySource(repo.dir)],
    engine: scanner.engine,
    filters: scanner.filters,
    reporters: [{ onFinding: (f) => void found.push(f), onEnd: () => undefined }],
    run: { tool: { name: 'leakguard', version: 'test' }, command: 'test', root: '.', rules: [] },
    matcher,
    delta,
    ...(shard === undefined ? {} : { shard }),
  });
  const findings = found.map((f) => JSON.stringify(sortedKeys({ ...f, secret: f.secret.reveal() })));
  return { findings, focused: counting.focused };
}

/** The value with object keys in sorted order (findings rebuilt after a worker list them in another order). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortedKeys(v)]));
}

/**
 * A history of one large file edited commit after commit (lines replaced, inserted, deleted), with secrets
 * coming and going: tokens on one line, a PEM key over many lines, and a Twilio key whose rule needs the word
 * "twilio" somewhere in the file, which appears and disappears far from the key while the key line stays.
 */
function evolvingHistory(seed: number): TestRepo {
  const repo = TestRepo.create();
  repos.push(repo);
  const random = seededRandom(seed);
  const filler = (): string => `${randomString(30 + Math.floor(random() * 60), WORDS, random)}\n`;
  const lines = Array.from({ length: 1500 }, filler);
  const secrets = [
    (): string => `GITHUB_TOKEN="${fakeGithubToken(Math.floor(random() * 1e6))}"\n`,
    (): string => `aws_access_key_id = AKIA${randomString(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', random)}\n`,
    (): string => {
      const body = Array.from({ length: 24 }, () => randomString(64, BASE64, random)).join('\n');
      return `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`;
    },
  ];
  lines[100] = `const sid = "SK${randomString(32, HEX, random)}";\n`;
  let stream = '';
  for (let i = 1; i <= 40; i++) {
    for (let edit = 0; edit < 1 + Math.floor(random() * 4); edit++) {
      const at = 120 + Math.floor(random() * (lines.length - 240));
      const kind = random();
      if (kind < 0.4) lines[at] = filler();
      else if (kind < 0.6) lines.splice(at, 0, filler(), filler());
      else if (kind < 0.75) lines.splice(at, 1);
      else lines.splice(at, 0, (secrets[Math.floor(random() * secrets.length)] ?? filler)());
    }
    if (i === 10) lines.splice(lines.length - 20, 0, '// sends texts with the twilio client\n');
    if (i === 25) lines.splice(lines.findIndex((l) => l.includes('twilio client')), 1);
    if (i === 30) lines.splice(lines.length - 5, 0, 'TWILIO_REGION=us1\n');
    const content = lines.join('');
    const message = `edit ${i}`;
    stream += `commit refs/heads/main\nmark :${i}\ncommitter Dev <dev@example.com> ${1_700_000_000 + i * 60} +0000\ndata ${message.length}\n${message}\n`;
    if (i > 1) stream += `from :${i - 1}\n`;
    stream += `M 100644 inline src/big-module.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  repo.fastImport(stream);
  return repo;
}

describe('DeltaMatcher on git history', () => {
  for (const seed of [1, 2, 3]) {
    it(`reports exactly what matching every version whole reports (seed ${seed})`, async () => {
      const repo = evolvingHistory(seed);
      const whole = await findingsOf(repo, false);
      const delta = await findingsOf(repo, true);
      expect(whole.focused).toBe(0);
      // Most versions were matched only around their changes, yet the findings are the same, byte for byte.
      expect(delta.focused).toBeGreaterThan(20);
      expect(whole.findings.length).toBeGreaterThan(40);
      expect(delta.findings).toEqual(whole.findings);
      // The Twilio key is reported in the versions that name Twilio, and only there.
      const twilio = delta.findings.filter((f) => f.includes('"twilio.api-key"'));
      expect(twilio.length).toBeGreaterThan(10);
      expect(twilio.length).toBeLessThan(40);
    });
  }

  it('reports the same split into --shard parts, where most versions lose the next one to another part', async () => {
    const repo = evolvingHistory(5);
    const whole = await findingsOf(repo, false);
    const parts = [];
    for (let index = 1; index <= 3; index++) parts.push(...(await findingsOf(repo, true, false, { index, count: 3 })).findings);
    expect(whole.findings.length).toBeGreaterThan(40);
    expect(parts.sort()).toEqual([...whole.findings].sort());
  });

  it('reports the same when workers match the windows', async () => {
    const repo = evolvingHistory(4);
    const whole = await findingsOf(repo, false);
    const pooled = await findingsOf(repo, true, true);
    expect(whole.findings.length).toBeGreaterThan(40);
    expect(pooled.findings).toEqual(whole.findings);
  });
});
