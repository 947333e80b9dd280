// Benchmark: `leakguard image` on a generated ≥ 500 MB docker-archive (14 layers, 4 of them gzip'd, a whiteout,
// planted secrets; like real images about half the bytes are binaries, the rest source/config/log text), next
// to the floor: reading the same layers with `tar -xOf` and `gzip -dc` into /dev/null. Also the image pipeline
// alone (no rules, no decoding) to separate the source's cost from the engine's. All pinned to one core.
// Target: ≤ 2× the floor, peak RSS < 300 MB.
// Standalone: node scripts/bench/image.mjs
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, CLI, hyperfine, mb, peakRssMb, randomString, rng, sh } from './lib.mjs';

const WORK = join(BENCH, 'image');
const ARCHIVE = join(WORK, 'image.tar');
const LAYERS = 14;
const LAYER_BYTES = 50 * 1e6;
const GZIPPED = new Set([1, 5, 9, 12]);

const SNIPPETS = [
  (r) => `export function handle${randomString(r, 6)}(req, res) {\n  const rows = await db.query('SELECT * FROM t WHERE id = $1', [req.params.id]);\n  return res.json(rows.map((x) => ({ ...x, score: x.score * ${Math.floor(r() * 100)} })));\n}\n`,
  (r) => `def compute_${randomString(r, 5, 'abcdefghij')}(values, threshold=${Math.floor(r() * 50)}):\n    result = [v for v in values if v > threshold]\n    return sorted(result)\n`,
  (r) => `{"id": "${randomString(r, 24, 'abcdef0123456789')}", "name": "${randomString(r, 10, 'abcdefghijklmnopqrstuvwxyz')}", "count": ${Math.floor(r() * 1000)}}\n`,
  (r) => `${new Date(1_700_000_000_000 + Math.floor(r() * 1e9)).toISOString()} INFO request id=${randomString(r, 16)} path=/api/v1/items status=200 ms=${Math.floor(r() * 900)}\n`,
  (r) => `  # ${randomString(r, 8, 'abcdefghijklmnop')}: see docs/${randomString(r, 6, 'abcdefghijklmnop')}.md for the options\n`,
];
const planted = (r) => `GITHUB_TOKEN=ghp_${randomString(r, 36)}\n`;

function fileText(r, target, plant) {
  const parts = [];
  let size = 0;
  while (size < target) {
    const s = SNIPPETS[Math.floor(r() * SNIPPETS.length)](r);
    parts.push(s);
    size += s.length;
  }
  if (plant) parts.splice(Math.floor(r() * parts.length), 0, planted(r));
  return parts.join('');
}

const sha256File = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Layer directories → layer tars (some gzip'd) → docker save layout → one uncompressed outer tar. */
export function buildImageCorpus() {
  if (existsSync(join(WORK, '.done'))) return;
  sh(`rm -rf ${WORK} && mkdir -p ${WORK}/out`);
  const r = rng(11);
  const layers = [];
  for (let l = 0; l < LAYERS; l++) {
    const root = join(WORK, `src${l}`);
    let total = 0;
    let n = 0;
    while (total < LAYER_BYTES) {
      const dir = join(root, `usr/share/app${l}/pkg${Math.floor(n / 50)}`);
      mkdirSync(dir, { recursive: true });
      // Mostly 10–150 KB files, every other one a binary (ELF header, random bytes: skipped by sniffing);
      // every 400th is an 8 MB log so streamed windows are exercised too.
      const target = n % 400 === 399 ? 8e6 : 10_000 + Math.floor(r() * 140_000);
      if (n % 2 === 1) {
        const binary = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'), randomBytes(target)]);
        writeFileSync(join(dir, `lib${n}.so`), binary);
        total += binary.length;
      } else {
        const text = fileText(r, target, n % 96 === 0);
        writeFileSync(join(dir, `f${n}.${['js', 'py', 'json', 'log'][(n / 2) % 4]}`), text);
        total += text.length;
      }
      n++;
    }
    if (l === LAYERS - 1) {
      mkdirSync(join(root, 'usr/share/app0/pkg0'), { recursive: true });
      writeFileSync(join(root, 'usr/share/app0/pkg0/.wh.f0.js'), '');
    }
    const tarPath = join(WORK, `layer${l}.tar`);
    sh(`tar --sort=name --mtime=@0 --owner=0 --group=0 -C ${root} -cf ${tarPath} . && rm -rf ${root}`);
    const diffId = sha256File(tarPath);
    const blob = GZIPPED.has(l) ? (sh(`gzip -1 -n ${tarPath}`), `${tarPath}.gz`) : tarPath;
    const id = createHash('sha256').update(`layer-${l}`).digest('hex');
    mkdirSync(join(WORK, 'out', id));
    sh(`mv ${blob} ${join(WORK, 'out', id, 'layer.tar')}`);
    layers.push({ id, diffId, gz: GZIPPED.has(l) });
  }
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/bin:/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${l.diffId}`) },
    history: layers.map((_, i) => ({ created_by: `/bin/sh -c #(nop) COPY dir:layer${i} in /usr/share` })),
  });
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  writeFileSync(join(WORK, 'out', configName), config);
  writeFileSync(
    join(WORK, 'out', 'manifest.json'),
    JSON.stringify([{ Config: configName, RepoTags: ['bench/image:1'], Layers: layers.map((l) => `${l.id}/layer.tar`) }]),
  );
  sh(`tar -C ${join(WORK, 'out')} -cf ${ARCHIVE} . && rm -rf ${join(WORK, 'out')}`);
  writeFileSync(join(WORK, 'layers.json'), JSON.stringify(layers));
  writeFileSync(join(WORK, '.done'), '');
}

export function benchImage() {
  buildImageCorpus();
  const layers = JSON.parse(readFileSync(join(WORK, 'layers.json'), 'utf8'));
  const archiveBytes = statSync(ARCHIVE).size;
  const uncompressed = layers.reduce((sum, l) => sum + Number(sh(`tar -xOf ${ARCHIVE} --occurrence=1 ./${l.id}/layer.tar | ${l.gz ? 'gzip -dc |' : ''} wc -c`).trim()), 0);
  // Floor: every layer's bytes out of the archive (one pass), plus decompressing the gzip'd ones.
  const gz = layers.filter((l) => l.gz).map((l) => `tar -xOf ${ARCHIVE} --occurrence=1 ./${l.id}/layer.tar | gzip -dc`);
  const floor = `bash -c '{ tar -xOf ${ARCHIVE}; ${gz.join('; ')}; } > /dev/null'`;
  // Both cores (the main thread reads, inflates and walks the tars; workers match), and one core for reference.
  const leakguard = `node ${CLI} image ${ARCHIVE} --format json -o /dev/null`;
  // What checking every layer against its digest costs (off by default for local archives: docs/image.md).
  const verified = `${leakguard} --verify-digests`;
  const oneCore = `taskset -c 0 node ${CLI} image ${ARCHIVE} --jobs 1 --format json -o /dev/null`;
  const noRules = join(WORK, 'no-rules.yaml');
  writeFileSync(noRules, 'extends: none\ndecode:\n  depth: 0\n');
  const pipeline = `${oneCore} --config ${noRules}`;
  const [lg, vd, one, pl, fl] = hyperfine([
    { name: 'leakguard', command: leakguard },
    { name: 'verified', command: verified },
    { name: 'leakguard-1', command: oneCore },
    { name: 'pipeline', command: pipeline },
    { name: 'floor', command: floor },
  ], { runs: 3, warmup: 1 });
  const input = `docker-archive, ${LAYERS} layers (${GZIPPED.size} gzip), ${mb(archiveBytes).toFixed(0)} MB file, ${mb(uncompressed).toFixed(0)} MB of layer tars`;
  return {
    rows: [
      { mode: 'image (2 cores)', input, tool: 'leakguard image', wall: lg.median, cpu: lg.cpu, rss: peakRssMb(leakguard), mbps: mb(uncompressed) / lg.median, ratio: `${(lg.median / fl.median).toFixed(2)}× floor time` },
      { mode: 'image (2 cores)', input: 'same', tool: 'leakguard image --verify-digests', wall: vd.median, cpu: vd.cpu, mbps: mb(uncompressed) / vd.median, ratio: `${(vd.median / fl.median).toFixed(2)}× floor time` },
      { mode: 'image (1 core)', input: 'same', tool: 'leakguard image --jobs 1', wall: one.median, cpu: one.cpu, mbps: mb(uncompressed) / one.median, ratio: `${(one.median / fl.median).toFixed(2)}× floor time` },
      { mode: 'image (1 core)', input: 'same', tool: 'leakguard image, no rules, no decoding (pipeline only)', wall: pl.median, cpu: pl.cpu, rss: peakRssMb(pipeline), mbps: mb(uncompressed) / pl.median, ratio: `${(pl.median / fl.median).toFixed(2)}× floor time` },
      { mode: 'image', input: 'same', tool: 'tar -xOf + gzip -dc (floor)', wall: fl.median, cpu: fl.cpu, rss: peakRssMb(floor), mbps: mb(uncompressed) / fl.median, ratio: '1.00' },
    ],
    commands: [leakguard, verified, oneCore, pipeline, floor],
    notes: 'Target: leakguard ≤ 2× the floor time; peak RSS < 300 MB whatever the image size (layers are streamed, never extracted).',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows } = benchImage();
  console.log(JSON.stringify(rows, null, 2));
}
