import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../finding.js';
import { githubStyleToken } from '../../rules/checksums.js';
import { scan } from '../../scan.js';
import { DEFAULT_CONFIG } from '../../config/config.js';
import { defaultRulesDir, loadRuleFile } from '../../rules/rule-loader.js';
import { createScanner } from '../../scanner.js';
import type { ScanSummary } from '../../summary.js';
import { compress, dockerArchive, sha256, tarOf, writeOciLayout, type ImageSpec } from '../../testing/image-fixtures.js';
import { ArchiveProvider } from './archive-provider.js';
import { ImageSource, type ImageSourceOptions } from './image-source.js';
import { LayerCache } from './layer-cache.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Checksum-valid fake GitHub tokens made at run time (no literal token in the repository). */
function token(seed: number, prefix = 'ghp'): string {
  let s = seed;
  let body = '';
  for (let i = 0; i < 30; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    body += ALNUM.charAt(s % ALNUM.length);
  }
  return githubStyleToken(prefix, body);
}

const T = { file: token(1), deleted: token(2), env: token(3), arg: token(4), opaque: token(5), base: token(6), gz: token(7), zst: token(8) };

/** Only the GitHub rules: these tests are about images, not about the (growing) rule library. */
const GITHUB_RULES_ONLY = { ...DEFAULT_CONFIG, extends: 'none' as const, add: loadRuleFile(join(defaultRulesDir(), 'github.yaml')) };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leakguard-image-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Result {
  readonly findings: Finding[];
  readonly summary: ScanSummary;
  readonly cache: LayerCache;
}

async function scanPath(path: string, options: ImageSourceOptions & { shard?: { index: number; count: number } } = {}): Promise<Result> {
  const scanner = createScanner(GITHUB_RULES_ONLY);
  const cache = options.cache ?? new LayerCache();
  const engine = scanner.engine;
  const findings: Finding[] = [];
  const summary = await scan({
    sources: [new ImageSource(new ArchiveProvider(path, 'img.tar'), { ...options, cache })],
    engine,
    reporters: [{ onFinding: (f) => void findings.push(f), onEnd: () => undefined }],
    run: { tool: { name: 'leakguard', version: 'test' }, command: 'image', root: dir, rules: [] },
    ...(options.shard === undefined ? {} : { shard: options.shard }),
  });
  return { findings, summary, cache };
}

/** The app image most tests use: a secret file, a file deleted later, ENV and a build arg. */
const APP: ImageSpec = {
  tag: 'app:1',
  env: ['PATH=/usr/bin', `GITHUB_TOKEN=${T.env}`],
  labels: { maintainer: 'ops' },
  emptyHistory: [[1, 'ENV GITHUB_TOKEN=<masked>']],
  layers: [
    { files: [{ name: 'etc/', type: 'directory' }, { name: 'etc/os-release', content: 'ID=test\n' }], createdBy: 'ADD rootfs.tar /' },
    {
      files: [
        { name: 'app/', type: 'directory' },
        { name: 'app/config.env', content: `# app\nTOKEN=${T.file}\n` },
        { name: 'app/old-secret.txt', content: `token: ${T.deleted}\n` },
        { name: 'app/link', type: 'symlink', linkname: 'config.env' },
      ],
      createdBy: `|1 BUILD_TOKEN=${T.arg} /bin/sh -c cp secrets /app`,
    },
    { files: [{ name: 'app/.wh.old-secret.txt' }], createdBy: 'RUN rm /app/old-secret.txt' },
  ],
};

function secretsOf(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.secret.reveal()).sort();
}

describe.each(['docker', 'docker25', 'podman'] as const)('docker-archive layout %s', (layout) => {
  let result: Result;
  beforeAll(async () => {
    const path = join(dir, `app-${layout}.tar`);
    await writeFile(path, await dockerArchive([APP], layout));
    result = await scanPath(path);
  });

  it('finds the secret file with full provenance', () => {
    const f = result.findings.find((x) => x.secret.reveal() === T.file);
    expect(f?.origin).toMatchObject({ kind: 'image-layer', path: 'app/config.env', image: 'app:1', layerIndex: 1 });
    expect(f?.location.line).toBe(2);
    const origin = f?.origin;
    if (origin?.kind !== 'image-layer') throw new Error('expected an image-layer origin');
    expect(origin.layer).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(origin.imageDigest).toMatch(/^sha256:/);
    expect(origin.createdBy).toContain('/bin/sh -c cp secrets /app');
    expect(origin.flag).toBeUndefined();
  });

  it('reports a file deleted by a later whiteout, naming both layers', () => {
    const f = result.findings.find((x) => x.secret.reveal() === T.deleted);
    expect(f?.origin).toMatchObject({ path: 'app/old-secret.txt', layerIndex: 1, flag: 'removed-in-later-layer', removedInLayerIndex: 2 });
    if (f?.origin.kind !== 'image-layer') throw new Error('expected an image-layer origin');
    expect(f.origin.removedInLayer).toMatch(/^sha256:/);
    expect(f.origin.removedInLayer).not.toBe(f.origin.layer);
  });

  it('scans the config: Env and the build arg in history', () => {
    const paths = result.findings.filter((f) => f.origin.kind === 'image-config').map((f) => [f.origin.path, f.secret.reveal()]);
    expect(paths).toContainEqual(['config:Env[1]', T.env]);
    expect(paths).toContainEqual(['config:history[2].created_by', T.arg]);
  });

  it('never puts a secret into an origin (the build arg in created_by is masked)', () => {
    const origins = JSON.stringify(result.findings.map((f) => f.origin));
    for (const value of Object.values(T)) expect(origins).not.toContain(value);
    expect(result.summary.warnings).toEqual([]);
  });
});

describe('compressed layers and archives', () => {
  const spec: ImageSpec = {
    tag: 'mixed:1',
    layers: [
      { files: [{ name: 'gz.txt', content: `a=${T.gz}\n` }], compression: 'gzip' },
      { files: [{ name: 'zst.txt', content: `b=${T.zst}\n` }], compression: 'zstd' },
      { files: [{ name: 'plain.txt', content: `c=${T.file}\n` }] },
    ],
  };

  it('reads gzip and zstd layers', async () => {
    const path = join(dir, 'mixed.tar');
    await writeFile(path, await dockerArchive([spec], 'docker25'));
    const { findings, summary } = await scanPath(path);
    expect(secretsOf(findings)).toEqual([T.gz, T.zst, T.file].sort());
    expect(summary.warnings).toEqual([]);
  });

  it('streams a gzip-compressed docker save tarball (two passes, same findings)', async () => {
    const path = join(dir, 'app.tar.gz');
    await writeFile(path, gzipSync(await dockerArchive([APP], 'docker')));
    const { findings, summary } = await scanPath(path);
    expect(secretsOf(findings)).toEqual([T.file, T.deleted, T.env, T.arg].sort());
    expect(findings.find((f) => f.secret.reveal() === T.deleted)?.origin).toMatchObject({ flag: 'removed-in-later-layer' });
    expect(summary.warnings).toEqual([]);
  });
});

describe('OCI image layouts', () => {
  it('reads an OCI layout directory', async () => {
    const layout = join(dir, 'oci-dir');
    const { manifestDigest } = await writeOciLayout(layout, { ...APP, layers: APP.layers.map((l) => ({ ...l, compression: 'gzip' as const })) }, '1.0');
    const { findings, summary } = await scanPath(layout);
    expect(secretsOf(findings)).toEqual([T.file, T.deleted, T.env, T.arg].sort());
    const f = findings.find((x) => x.secret.reveal() === T.file);
    expect(f?.origin).toMatchObject({ image: 'img.tar:1.0', imageDigest: manifestDigest });
    if (f?.origin.kind !== 'image-layer') throw new Error('expected an image-layer origin');
    expect(f.origin.diffId).toMatch(/^sha256:/);
    expect(summary.warnings).toEqual([]);
  });

  it('reads an OCI archive (the layout as a tar) and honours opaque whiteouts', async () => {
    const layout = join(dir, 'oci-opaque');
    await writeOciLayout(layout, {
      layers: [
        { files: [{ name: 'srv/data/key.txt', content: `k=${T.opaque}\n` }] },
        { files: [{ name: 'srv/data/.wh..wh..opq' }, { name: 'srv/data/new.txt', content: 'fresh\n' }] },
      ],
    });
    const members = [];
    for (const name of ['oci-layout', 'index.json']) members.push({ name, content: await readFile(join(layout, name)) });
    for (const blob of await readdir(join(layout, 'blobs', 'sha256'))) {
      members.push({ name: `blobs/sha256/${blob}`, content: await readFile(join(layout, 'blobs', 'sha256', blob)) });
    }
    const path = join(dir, 'oci.tar');
    await writeFile(path, await tarOf(members));
    const { findings } = await scanPath(path);
    expect(findings.map((f) => f.origin)).toEqual([expect.objectContaining({ path: 'srv/data/key.txt', flag: 'removed-in-later-layer', removedInLayerIndex: 1 })]);
  });
});

describe('bad input', () => {
  it('treats ../ and absolute member names as names and touches no file', async () => {
    const escape = `leakguard-escape-${process.pid}.txt`;
    const path = join(dir, 'escape.tar');
    await writeFile(
      path,
      await dockerArchive([{ tag: 'evil:1', layers: [{ files: [{ name: `../../../../tmp/${escape}`, content: `x=${T.file}\n` }, { name: `/tmp/abs-${escape}`, content: `y=${T.gz}\n` }] }] }]),
    );
    const { findings } = await scanPath(path);
    expect(findings.map((f) => f.origin.path).sort()).toEqual([`tmp/${escape}`, `tmp/abs-${escape}`].sort());
    await expect(readFile(join('/tmp', escape))).rejects.toThrow();
    await expect(readFile(join('/tmp', `abs-${escape}`))).rejects.toThrow();
  });

  it('warns about a truncated archive, naming it, and reports what was readable', async () => {
    // Manifest first (as a hand-made archive may have it), then a layer cut off half way.
    const good = await tarOf([{ name: 'a.txt', content: `a=${T.file}\n` }]);
    const big = await tarOf([{ name: 'b.txt', content: `b=${T.gz}\n${'x'.repeat(20000)}` }]);
    const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: [sha256(good), sha256(big)] }, history: [] }));
    const archive = await tarOf([
      { name: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', RepoTags: ['cut:1'], Layers: ['l0/layer.tar', 'l1/layer.tar'] }]) },
      { name: 'c.json', content: config },
      { name: 'l0/layer.tar', content: good },
      { name: 'l1/layer.tar', content: big },
    ]);
    const path = join(dir, 'truncated.tar');
    await writeFile(path, archive.subarray(0, archive.length - 12000));
    const { findings, summary } = await scanPath(path);
    expect(secretsOf(findings)).toContain(T.file);
    expect(summary.warnings.some((w) => w.input.startsWith('img.tar') && /truncated/.test(w.message))).toBe(true);
  });

  describe('a local layer whose content does not match its digest', () => {
    let layout: string;
    beforeAll(async () => {
      layout = join(dir, 'oci-mismatch');
      const { layerDigests } = await writeOciLayout(layout, { layers: [{ files: [{ name: 'a.txt', content: 'hello\n' }] }] });
      const blob = join(layout, 'blobs', 'sha256', (layerDigests[0] ?? '').slice(7));
      await writeFile(blob, await tarOf([{ name: 'a.txt', content: `tampered=${T.file}\n` }]));
    });

    it('fails with an error naming the layer with verifyDigests', async () => {
      await expect(scanPath(layout, { verifyDigests: true })).rejects.toThrow(/img\.tar:latest layer 0 \(sha256:.*blob digest mismatch/);
    });

    it('fails the same way when results are kept across runs, which are stored under the digest', async () => {
      const cache = new LayerCache({ dir: join(dir, 'mismatch-cache'), scanKey: 'k', rules: [] });
      await expect(scanPath(layout, { cache })).rejects.toThrow(/blob digest mismatch/);
    });

    it('is otherwise scanned as it is', async () => {
      const { findings, summary } = await scanPath(layout);
      expect(secretsOf(findings)).toEqual([T.file]);
      expect(summary.warnings).toEqual([]);
    });
  });

  it('bounds a gzip bomb layer by --max-file-size and the decompression ratio (warnings)', async () => {
    const zeros = Buffer.alloc(96 * 1024 * 1024);
    const bomb = compress(await tarOf([{ name: 'zeros.bin', content: zeros }, { name: 'after.txt', content: `z=${T.file}\n` }]), 'gzip');
    const path = join(dir, 'bomb.tar');
    await writeFile(path, await tarOf([
      { name: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', RepoTags: ['bomb:1'], Layers: ['l0/layer.tar'] }]) },
      { name: 'c.json', content: JSON.stringify({ rootfs: { diff_ids: [] }, history: [] }) },
      { name: 'l0/layer.tar', content: bomb },
    ]));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { summary } = await scanPath(path, { maxFileSize: 1024 * 1024, maxDecompressionRatio: 100 });
    const messages = summary.warnings.map((w) => `${w.input}: ${w.message}`);
    expect(messages.some((m) => /zeros\.bin: larger than --max-file-size/.test(m))).toBe(true);
    expect(messages.some((m) => /bomb:1 layer 0 .*decompression bomb/.test(m))).toBe(true);
  });
});

describe('layer cache', () => {
  const base = { files: [{ name: 'base/creds', content: `c=${T.base}\n` }], createdBy: 'ADD base /' };
  const images: ImageSpec[] = [
    { tag: 'one:1', layers: [base, { files: [{ name: 'one.txt', content: 'one\n' }] }] },
    { tag: 'two:1', layers: [base, { files: [{ name: 'two.txt', content: `t=${T.file}\n` }] }] },
  ];

  it('scans a layer shared by two images once and reports it for both', async () => {
    const path = join(dir, 'shared.tar');
    await writeFile(path, await dockerArchive(images, 'docker25'));
    const { findings, summary } = await scanPath(path);
    const baseFindings = findings.filter((f) => f.secret.reveal() === T.base);
    expect(baseFindings.map((f) => f.origin).map((o) => ('image' in o ? o.image : ''))).toEqual(['one:1', 'two:1']);
    expect(summary.skipped['layer already scanned (same digest)']).toBe(1);
  });

  it('replays findings from --cache-dir across runs without storing secret values', async () => {
    const path = join(dir, 'shared-cache.tar');
    await writeFile(path, await dockerArchive(images, 'docker'));
    const cacheDir = join(dir, 'cache');
    const cacheOptions = { dir: cacheDir, scanKey: 'test-scan-key', rules: createScanner(GITHUB_RULES_ONLY).engine.rules.map((r) => r.info) };
    const first = await scanPath(path, { cache: new LayerCache(cacheOptions) });
    await first.cache.flush();
    const second = await scanPath(path, { cache: new LayerCache(cacheOptions) });
    const view = (r: Result): unknown[] => r.findings.map((f) => ({ ...f, secret: f.secret.length > 0 }));
    expect(view(second)).toEqual(view(first));
    expect(second.summary.skipped['layer already scanned (same digest)']).toBe(4);
    const files: string[] = [];
    for (const sub of await readdir(cacheDir, { recursive: true })) if (sub.endsWith('.json')) files.push(await readFile(join(cacheDir, sub), 'utf8'));
    expect(files.length).toBe(3);
    for (const text of files) for (const value of Object.values(T)) expect(text).not.toContain(value);
  });
});

describe('--shard', () => {
  it('splits layers and configs across shards: disjoint, complete, whiteouts still honoured', async () => {
    const path = join(dir, 'shards.tar');
    await writeFile(path, await dockerArchive([APP], 'docker25'));
    const key = (r: Result): string[] => r.findings.map((f) => `${f.origin.path} ${'flag' in f.origin ? (f.origin.flag ?? '') : ''}`).sort();
    const all = key(await scanPath(path));
    const parts = [];
    for (let index = 1; index <= 3; index++) parts.push(...key(await scanPath(path, { shard: { index, count: 3 } })));
    expect(parts.sort()).toEqual(all);
    expect(all).toContain('app/old-secret.txt removed-in-later-layer');
  });
});

describe('archives inside layers', () => {
  it('scans tarballs in a layer up to the depth limit and warns about a damaged one', async () => {
    const inner = await tarOf([{ name: 'x.txt', content: `deep=${T.zst}\n` }]);
    const bundle = compress(await tarOf([{ name: 'conf/app.env', content: `k=${T.gz}\n` }, { name: 'inner.tar', content: inner }]), 'gzip');
    const path = join(dir, 'nested.tar');
    await writeFile(
      path,
      await dockerArchive([
        {
          tag: 'nested:1',
          layers: [
            {
              files: [
                { name: 'vendor/bundle.tar.gz', content: bundle },
                { name: 'vendor/broken.tgz', content: Buffer.from('not gzip at all') },
                { name: 'after.txt', content: `a=${T.file}\n` },
              ],
            },
          ],
        },
      ]),
    );
    const deep = await scanPath(path);
    expect(deep.findings.map((f) => f.origin.path).sort()).toEqual(['after.txt', 'vendor/bundle.tar.gz!conf/app.env', 'vendor/bundle.tar.gz!inner.tar!x.txt']);
    expect(deep.summary.warnings.map((w) => w.input)).toEqual([expect.stringMatching(/nested:1 layer 0 .*:vendor\/broken\.tgz$/)]);
    const shallow = await scanPath(path, { maxArchiveDepth: 1 });
    expect(shallow.findings.map((f) => f.origin.path).sort()).toEqual(['after.txt', 'vendor/bundle.tar.gz!conf/app.env']);
  });
});
