// Benchmark: `leakguard git` full history on a generated repository (≥ 5,000 commits, ≥ 70 MB of unique blob
// bytes, built with git fast-import) and on a real public repository when one is available, next to the floor
// `git cat-file --batch-all-objects --batch --unordered | cat > /dev/null`; and `leakguard git --staged` with
// one changed file in a 10,000-file repository (target ≤ 400 ms wall including Node start-up).
// Standalone: node scripts/bench/git.mjs   (env LEAKGUARD_BENCH_REAL_REPO=/path/to/repo.git adds a real repo,
// LEAKGUARD_BENCH_LARGE_REPO and LEAKGUARD_BENCH_HUGE_REPO longer ones)
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, CLI, ROOT, hyperfine, mb, peakRssMb, randomString, rng, sh, table } from './lib.mjs';

const HISTORY = join(BENCH, 'git-history.git');
const STAGED = join(BENCH, 'git-staged');
const REAL = join(BENCH, 'git-real.git');
const SOURCE_ONLY = join(ROOT, 'scripts/bench/git-source-only.mjs');
const REAL_SOURCE = process.env.LEAKGUARD_BENCH_REAL_REPO ?? '/work/.mirror/expressjs+express/repo';
// Longer real histories: vuejs/core (845 MB of unique blobs), and for issue 9, which asks for ≥ 1 GB,
// typescript-eslint (5 GB; the issue's own reference: 8.3 s for the cat-file pipeline).
const LARGE = [
  { dir: join(BENCH, 'git-large.git'), source: process.env.LEAKGUARD_BENCH_LARGE_REPO ?? '/work/.mirror/vuejs+core/repo', label: 'vuejs/core', runs: { runs: 3, warmup: 0 } },
  { dir: join(BENCH, 'git-huge.git'), source: process.env.LEAKGUARD_BENCH_HUGE_REPO ?? '/work/.mirror/typescript-eslint+typescript-eslint/repo', label: 'typescript-eslint/typescript-eslint', runs: { runs: 2, warmup: 0 } },
];
const FILES = 1500;
const COMMITS = 6000;
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: BENCH };

const SNIPPETS = [
  (r) => `export function handle${randomString(r, 6)}(req, res) {\n  const rows = await db.query('SELECT * FROM t WHERE id = $1', [req.params.id]);\n  return res.json(rows.map((x) => ({ ...x, score: x.score * ${Math.floor(r() * 100)} })));\n}\n`,
  (r) => `def compute_${randomString(r, 5, 'abcdefghij')}(values, threshold=${Math.floor(r() * 50)}):\n    result = [v for v in values if v > threshold]\n    return sorted(result)\n`,
  (r) => `  ${randomString(r, 8, 'abcdefghijklmnop')}:\n    image: registry.local/app:${Math.floor(r() * 9)}.${Math.floor(r() * 9)}\n    replicas: ${Math.floor(r() * 5) + 1}\n`,
  (r) => `{"id": "${randomString(r, 24, 'abcdef0123456789')}", "name": "${randomString(r, 10, 'abcdefghijklmnopqrstuvwxyz')}", "count": ${Math.floor(r() * 1000)}}\n`,
  () => `// The password field is validated on the server; the token is refreshed when it expires.\n`,
];

const planted = (r) => `GITHUB_TOKEN=ghp_${randomString(r, 36)}\n`;
const snippet = (r) => SNIPPETS[Math.floor(r() * SNIPPETS.length)](r);

/** Streams a fast-import script into `git fast-import` with back-pressure. */
async function fastImport(dir, produce) {
  const child = spawn('git', ['-C', dir, 'fast-import', '--quiet'], { stdio: ['pipe', 'inherit', 'inherit'], env: GIT_ENV });
  const done = new Promise((ok, fail) => child.once('close', (code) => (code === 0 ? ok() : fail(new Error(`fast-import exited ${code}`)))));
  for (const text of produce()) {
    if (!child.stdin.write(text)) await new Promise((ok) => child.stdin.once('drain', ok));
  }
  child.stdin.end();
  await done;
}

function* commitScript(ref, mark, parentMark, time, message, files) {
  yield `commit ${ref}\nmark :${mark}\nauthor Dev <dev@example.com> ${time} +0000\ncommitter Dev <dev@example.com> ${time} +0000\n`;
  yield `data ${Buffer.byteLength(message)}\n${message}\n`;
  if (parentMark !== undefined) yield `from :${parentMark}\n`;
  for (const [path, content] of files) yield `M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  yield '\n';
}

/** 1,500 source-like files, then 6,000 commits each editing one file (unique, delta-friendly versions). */
export async function buildHistoryCorpus() {
  if (existsSync(join(HISTORY, '.done'))) return;
  sh(`rm -rf ${HISTORY} && git init -q --bare ${HISTORY}`);
  const r = rng(7);
  const path = (i) => `pkg${i % 15}/mod${Math.floor(i / 15) % 10}/file${i}.${['js', 'py', 'yaml', 'json'][i % 4]}`;
  const files = Array.from({ length: FILES }, () => Array.from({ length: 100 }, () => snippet(r)));
  await fastImport(HISTORY, function* () {
    yield* commitScript('refs/heads/main', 1, undefined, 1_600_000_000, 'initial import', files.map((parts, i) => [path(i), parts.join('')]));
    for (let c = 1; c <= COMMITS; c++) {
      const i = Math.floor(r() * FILES);
      const parts = files[i];
      for (let k = 0; k < 5; k++) parts[Math.floor(r() * parts.length)] = snippet(r);
      parts.push(c % 200 === 0 ? planted(r) : snippet(r));
      if (parts.length > 110) parts.splice(Math.floor(r() * parts.length), 10);
      yield* commitScript('refs/heads/main', c + 1, c, 1_600_000_000 + c * 60, `change ${c}`, [[path(i), parts.join('')]]);
    }
  });
  sh(`git -C ${HISTORY} repack -q -a -d -f --window=10 --depth=50`, { env: GIT_ENV });
  writeFileSync(join(HISTORY, '.done'), '');
}

/** 10,000 small files committed and checked out, then one file changed and staged. */
export async function buildStagedCorpus() {
  if (existsSync(join(STAGED, '.done'))) return;
  sh(`rm -rf ${STAGED} && git init -q ${STAGED}`);
  const r = rng(11);
  const files = Array.from({ length: 10_000 }, (_, i) => [`src/d${i % 100}/f${i}.js`, `${snippet(r)}${snippet(r)}${snippet(r)}`]);
  await fastImport(STAGED, () => commitScript('refs/heads/main', 1, undefined, 1_600_000_000, 'tree', files));
  sh(`cd ${STAGED} && git symbolic-ref HEAD refs/heads/main && git reset -q --hard && echo '${planted(r).trim()}' >> src/d7/f7.js && git add src/d7/f7.js`, { env: GIT_ENV });
  writeFileSync(join(STAGED, '.done'), '');
}

function uniqueBlobBytes(repo) {
  const out = sh(`git -C ${repo} rev-list --objects --all --filter=object:type=blob | cut -d' ' -f1 | git -C ${repo} cat-file --batch-check='%(objectsize)' | awk '{s+=$1} END {print s}'`);
  return Number(out.trim());
}

function historyRows(repo, label, runs = { runs: 5, warmup: 1 }) {
  const bytes = uniqueBlobBytes(repo);
  const commits = sh(`git -C ${repo} rev-list --all --count`).trim();
  const leakguard = `node ${CLI} git ${repo} --format json -o /dev/null`;
  const sourceOnly = `node ${SOURCE_ONLY} ${repo}`;
  const floor = `git -C ${repo} cat-file --batch-all-objects --batch --unordered | cat > /dev/null`;
  const [lg, so, fl] = hyperfine([
    { name: 'leakguard', command: leakguard },
    { name: 'source only', command: sourceOnly },
    { name: 'floor', command: floor },
  ], runs);
  const input = `${label}: ${commits} commits, ${mb(bytes).toFixed(0)} MB unique blobs`;
  return {
    rows: [
      { mode: 'git history', input, tool: 'leakguard git', wall: lg.median, cpu: lg.cpu, rss: peakRssMb(leakguard), mbps: mb(bytes) / lg.median, ratio: `${(lg.median / fl.median).toFixed(2)}× floor time` },
      { mode: 'git history', input: 'same', tool: 'history source only, no matching', wall: so.median, cpu: so.cpu, rss: undefined, mbps: mb(bytes) / so.median, ratio: `${(so.median / fl.median).toFixed(2)}× floor time` },
      { mode: 'git history', input: 'same', tool: 'cat-file --batch-all-objects \\| cat (floor)', wall: fl.median, cpu: fl.cpu, rss: undefined, mbps: mb(bytes) / fl.median, ratio: '1.00' },
    ],
    commands: [leakguard, sourceOnly, floor],
  };
}

function stagedRows() {
  const leakguard = `node ${CLI} git ${STAGED} --staged --format json -o /dev/null`;
  const diff = `git -C ${STAGED} diff --cached -U0 > /dev/null`;
  const node = `node -e 0`;
  const [lg, gd, nd] = hyperfine([
    { name: 'leakguard', command: leakguard },
    { name: 'git diff', command: diff },
    { name: 'node', command: node },
  ], { runs: 15, warmup: 2 });
  return {
    rows: [
      { mode: 'git --staged', input: '10,000-file repo, 1 staged file', tool: 'leakguard git --staged', wall: lg.median, cpu: lg.cpu, rss: peakRssMb(leakguard), ratio: `${(lg.median * 1000).toFixed(0)} ms (≤ 400 ms #3, ≤ 250 ms #9)` },
      { mode: 'git --staged', input: 'same', tool: 'git diff --cached -U0 (reference)', wall: gd.median, cpu: gd.cpu },
      { mode: 'git --staged', input: 'same', tool: 'node -e 0 (start-up reference)', wall: nd.median, cpu: nd.cpu },
    ],
    commands: [leakguard, diff, node],
  };
}

export async function benchGit() {
  await buildHistoryCorpus();
  await buildStagedCorpus();
  const parts = [historyRows(HISTORY, 'generated')];
  if (existsSync(REAL_SOURCE)) {
    if (!existsSync(REAL)) sh(`git clone -q --bare ${REAL_SOURCE} ${REAL}`, { env: GIT_ENV });
    parts.push(historyRows(REAL, REAL_SOURCE.includes('express') ? 'expressjs/express' : 'real repository'));
  }
  for (const large of LARGE) {
    if (!existsSync(large.source)) continue;
    if (!existsSync(large.dir)) sh(`git clone -q --bare ${large.source} ${large.dir}`, { env: GIT_ENV });
    parts.push(historyRows(large.dir, large.label, large.runs));
  }
  parts.push(stagedRows());
  return {
    rows: parts.flatMap((p) => p.rows),
    commands: parts.flatMap((p) => p.commands),
    notes: 'Both cores: git (log --raw naming the blobs, cat-file inflating them) runs in its own processes while Node parses the cat-file stream and matches.',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows } = await benchGit();
  console.log(table(rows));
}
