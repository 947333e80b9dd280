// Benchmark: `leakguard dir` on a generated ~200 MB source-like tree with planted secrets, next to ripgrep
// running the same rule patterns (`leakguard rules list --patterns`), both pinned to one core.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, CLI, duBytes, hyperfine, mb, peakRssMb, randomString, rng, sh } from './lib.mjs';

const TREE = join(BENCH, 'dir-tree');
const PATTERNS = join(BENCH, 'patterns.txt');
const TARGET_BYTES = 200 * 1e6;

const SNIPPETS = [
  (r) => `export function handle${randomString(r, 6)}(req, res) {\n  const items = await db.query('SELECT * FROM t WHERE id = $1', [req.params.id]);\n  return res.json(items.map((x) => ({ ...x, score: x.score * ${Math.floor(r() * 100)} })));\n}\n`,
  (r) => `def compute_${randomString(r, 5, 'abcdefghij')}(values, threshold=${Math.floor(r() * 50)}):\n    result = [v for v in values if v > threshold]\n    logger.debug("filtered %d values", len(result))\n    return sorted(result)\n`,
  (r) => `  ${randomString(r, 8, 'abcdefghijklmnop')}:\n    image: registry.local/app:${Math.floor(r() * 9)}.${Math.floor(r() * 9)}\n    replicas: ${Math.floor(r() * 5) + 1}\n    env:\n      - name: LOG_LEVEL\n        value: info\n`,
  (r) => `{"id": "${randomString(r, 24, 'abcdef0123456789')}", "name": "${randomString(r, 10, 'abcdefghijklmnopqrstuvwxyz')}", "enabled": true, "count": ${Math.floor(r() * 1000)}}\n`,
  () => `// The password field is validated on the server; the token is refreshed by the client when it expires.\n`,
];

function plantedSecret(r) {
  const kinds = [
    () => `GITHUB_TOKEN=ghp_${randomString(r, 36)}`,
    () => `aws_access_key_id = AKIA${randomString(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    () => `const slack = "xoxb-${Math.floor(r() * 1e12)}-${Math.floor(r() * 1e12)}-${randomString(r, 24)}";`,
    () => `STRIPE_KEY=sk_live_${randomString(r, 24)}`,
  ];
  return kinds[Math.floor(r() * kinds.length)]();
}

export function buildDirCorpus() {
  if (existsSync(join(TREE, '.done'))) return;
  sh(`rm -rf ${TREE}`);
  const r = rng(42);
  let total = 0;
  let file = 0;
  const exts = ['js', 'py', 'yaml', 'json', 'ts'];
  while (total < TARGET_BYTES) {
    const dir = join(TREE, `pkg${Math.floor(file / 200)}`, `mod${Math.floor(file / 20) % 10}`);
    mkdirSync(dir, { recursive: true });
    const parts = [];
    let size = 0;
    const target = 10_000 + Math.floor(r() * 90_000);
    while (size < target) {
      const s = SNIPPETS[Math.floor(r() * SNIPPETS.length)](r);
      parts.push(s);
      size += s.length;
    }
    if (file % 40 === 0) parts.splice(Math.floor(r() * parts.length), 0, `${plantedSecret(r)}\n`);
    const text = parts.join('');
    writeFileSync(join(dir, `file${file}.${exts[file % exts.length]}`), text);
    total += text.length;
    file++;
  }
  writeFileSync(join(TREE, '.done'), '');
}

export function benchDir() {
  buildDirCorpus();
  sh(`node ${CLI} rules list --patterns > ${PATTERNS}`);
  const bytes = duBytes(TREE);
  const leakguard = `taskset -c 0 node ${CLI} dir ${TREE} --format json -o /dev/null`;
  // rg needs -U (several patterns match across lines) and larger limits (the 514 patterns combined exceed its
  // default 100 MB regex size); without them it stops at once with exit 2 and scans nothing.
  const ripgrep = `taskset -c 0 rg -U -j1 --regex-size-limit 2G --dfa-size-limit 2G --no-ignore --hidden -c -f ${PATTERNS} ${TREE} > /dev/null`;
  const [lg, rg] = hyperfine([
    { name: 'leakguard', command: leakguard },
    { name: 'rg', command: ripgrep },
  ], { runs: 3, warmup: 1 });
  const rules = Number(sh(`wc -l < ${PATTERNS}`).trim());
  return {
    rows: [
      { mode: 'dir (1 core)', input: `generated tree, ${mb(bytes).toFixed(0)} MB`, tool: `leakguard dir (${rules} rules)`, wall: lg.median, cpu: lg.cpu, rss: peakRssMb(leakguard), mbps: mb(bytes) / lg.median, ratio: `${(rg.median / lg.median).toFixed(2)}× rg throughput` },
      { mode: 'dir (1 core)', input: 'same', tool: `rg -U -j1 -f patterns (floor)`, wall: rg.median, cpu: rg.cpu, rss: peakRssMb(ripgrep), mbps: mb(bytes) / rg.median, ratio: '1.00' },
    ],
    commands: [leakguard, ripgrep],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows } = benchDir();
  console.log(JSON.stringify(rows, null, 2));
}
