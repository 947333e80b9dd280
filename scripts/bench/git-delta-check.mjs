// Checks the git history delta matching (docs/git.md) on a repository: scans its history with the delta on and
// off (core API, default config) and says whether both report the same findings in the same places, and which
// share of the text bytes the delta left to match (windows counted whole, so an upper bound).
// Usage: node scripts/bench/git-delta-check.mjs <repo>   (after `pnpm build`)
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const core = join(ROOT, 'packages/scanner-core/dist');
const { scan } = await import(`${core}/scan.js`);
const { createScanner } = await import(`${core}/scanner.js`);
const { DEFAULT_CONFIG } = await import(`${core}/config/config.js`);
const { InlineMatcher } = await import(`${core}/engine/worker-pool.js`);
const { GitHistorySource } = await import(`${core}/sources/git/index.js`);

const repo = process.argv[2] ?? '.';
const runs = [];
for (const delta of [true, false]) {
  const scanner = createScanner(DEFAULT_CONFIG);
  let matched = 0;
  class Counting extends InlineMatcher {
    match(chunk) {
      matched += chunk.data.length;
      return super.match(chunk);
    }
  }
  const found = [];
  const summary = await scan({
    sources: [new GitHistorySource(repo)],
    engine: scanner.engine,
    filters: scanner.filters,
    reporters: [{ onFinding: (f) => void found.push(`${f.rule.id} ${f.origin.path} ${f.origin.commit} ${f.location.line}:${f.location.column} ${f.locationFingerprint}`), onEnd: () => undefined }],
    run: { tool: { name: 'leakguard', version: 'check' }, command: 'check', root: '.', rules: [] },
    matcher: new Counting(scanner.engine),
    delta,
  });
  runs.push({ delta, findings: found.sort(), matched, bytes: summary.bytesScanned });
}
const [on, off] = runs;
const same = JSON.stringify(on.findings) === JSON.stringify(off.findings);
console.log(`${repo}: ${on.findings.length} findings with the delta, ${off.findings.length} without: ${same ? 'the same' : 'DIFFERENT'}`);
console.log(`matched ${(on.matched / 1e6).toFixed(0)} of ${(on.bytes / 1e6).toFixed(0)} MB of text with the delta (${((100 * on.matched) / on.bytes).toFixed(0)} %)`);
process.exitCode = same ? 0 : 1;
