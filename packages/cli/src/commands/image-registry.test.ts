import { createHash } from 'node:crypto';
import { readdir, mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, skopeoPush, type TestRegistry } from '../../../scanner-core/src/testing/docker-registry.js';
import { startTokenServer, type TokenServer } from '../../../scanner-core/src/testing/registry-token-server.js';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
import { dockerArchive, writeOciLayout, type ImageSpec } from '../../../scanner-core/src/testing/image-fixtures.js';
import { githubFingerprint, jsonPlaces } from '../testing/image-json.js';
import { runCli } from '../testing/run-cli.js';

/** Real Debian docker-registry instances started by the tests on free loopback ports; images pushed by skopeo. */
const T = { file: fakeGithubToken(4201), deleted: fakeGithubToken(4202), env: fakeGithubToken(4203), arm: fakeGithubToken(4204) };
const PASSWORD = `pw-${process.pid}-not-a-real-password`;

const APP: ImageSpec = {
  tag: 'app:1',
  env: ['PATH=/bin', `DEPLOY_TOKEN=${T.env}`],
  layers: [
    { files: [{ name: 'etc/hostname', content: 'x\n' }], createdBy: 'ADD rootfs /' },
    {
      files: [
        { name: 'app/settings.ini', content: `[github]\ntoken = ${T.file}\n` },
        { name: 'app/old.txt', content: `${T.deleted}\n` },
      ],
      createdBy: 'COPY . /app',
    },
    { files: [{ name: 'app/.wh.old.txt' }], createdBy: 'RUN rm /app/old.txt' },
  ],
};

let dir: string;
let archive: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leakguard-registry-test-'));
  archive = join(dir, 'app.tar');
  await writeFile(archive, await dockerArchive([APP]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function secretsByPath(stdout: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of jsonPlaces(stdout)) (out[p.path] ??= []).push(p.fingerprint);
  return out;
}

describe('anonymous registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    await skopeoPush(`docker-archive:${archive}`, `${registry.host}/test/app:1`);
  }, 60_000);
  afterAll(async () => registry?.stop());

  it('scans a Docker v2 manifest pulled over plain HTTP (--insecure)', async () => {
    const result = await runCli(['image', `${registry.host}/test/app:1`, '--insecure', '--format', 'json', '--jobs', '1']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(secretsByPath(result.stdout)).toMatchObject({
      'app/settings.ini': [githubFingerprint(T.file)],
      'app/old.txt': [githubFingerprint(T.deleted)],
      'config:Env[1]': [githubFingerprint(T.env)],
    });
    const old = jsonPlaces(result.stdout).find((p) => p.path === 'app/old.txt');
    expect(old).toMatchObject({ flag: 'removed-in-later-layer', layerIndex: 1, removedInLayerIndex: 2, image: `${registry.host}/test/app:1` });
    expect(old?.imageDigest).toMatch(/^sha256:/);
    for (const value of Object.values(T)) expect(result.stdout).not.toContain(value);
  });

  it('scans an OCI manifest with zstd layers, addressed by digest', async () => {
    const layout = join(dir, 'oci');
    await writeOciLayout(layout, { ...APP, layers: APP.layers.map((l) => ({ ...l, compression: 'zstd' as const })) }, '1');
    await skopeoPush(`oci:${layout}:1`, `${registry.host}/test/oci:1`);
    const head = await fetch(`http://${registry.host}/v2/test/oci/manifests/1`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const manifest = (await head.json()) as { layers: { mediaType: string }[] };
    expect(manifest.layers.map((l) => l.mediaType)).toContain('application/vnd.oci.image.layer.v1.tar+zstd');
    const digest = head.headers.get('docker-content-digest') ?? '';
    const result = await runCli(['image', `${registry.host}/test/oci@${digest}`, '--from', 'registry', '--insecure', '--format', 'json', '--jobs', '1']);
    expect(result.exitCode).toBe(1);
    expect(Object.keys(secretsByPath(result.stdout))).toEqual(expect.arrayContaining(['app/settings.ini', 'app/old.txt', 'config:Env[1]']));
    expect(jsonPlaces(result.stdout)[0]?.imageDigest).toBe(digest);
  });

  it('picks --platform from a multi-platform index', async () => {
    const amd = join(dir, 'amd');
    const arm = join(dir, 'arm');
    const a = await writeOciLayout(amd, { layers: [{ files: [{ name: 'amd.txt', content: 'nothing\n' }], compression: 'gzip' }] });
    const b = await writeOciLayout(arm, { layers: [{ files: [{ name: 'arm.txt', content: `t=${T.arm}\n` }], compression: 'gzip' }] });
    const multi = join(dir, 'multi');
    await mkdir(join(multi, 'blobs', 'sha256'), { recursive: true });
    for (const source of [amd, arm]) {
      for (const blob of await readdir(join(source, 'blobs', 'sha256'))) await writeFile(join(multi, 'blobs', 'sha256', blob), await readFile(join(source, 'blobs', 'sha256', blob)));
    }
    const size = async (d: string): Promise<number> => (await readFile(join(multi, 'blobs', 'sha256', d.slice(7)))).length;
    const manifests = [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: a.manifestDigest, size: await size(a.manifestDigest), platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: b.manifestDigest, size: await size(b.manifestDigest), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ];
    // index.json → one image index (the multi-platform image) → two platform manifests.
    const imageIndex = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
    const indexDigest = `sha256:${createHash('sha256').update(imageIndex).digest('hex')}`;
    await writeFile(join(multi, 'blobs', 'sha256', indexDigest.slice(7)), imageIndex);
    await writeFile(join(multi, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(
      join(multi, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: indexDigest, size: imageIndex.length, annotations: { 'org.opencontainers.image.ref.name': '1' } }],
      }),
    );
    await skopeoPush(`oci:${multi}:1`, `${registry.host}/test/multi:1`, { extra: ['--all'] });
    const ref = `${registry.host}/test/multi:1`;
    const amd64 = await runCli(['image', ref, '--insecure', '--format', 'json', '--jobs', '1']);
    const arm64 = await runCli(['image', ref, '--insecure', '--platform', 'linux/arm64', '--format', 'json', '--jobs', '1']);
    expect(amd64.exitCode).toBe(0);
    expect(arm64.exitCode).toBe(1);
    expect(jsonPlaces(arm64.stdout).map((p) => p.path)).toEqual(['arm.txt']);
    const none = await runCli(['image', ref, '--insecure', '--platform', 'windows/amd64']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/no manifest for windows\/amd64 \(the index offers: linux\/amd64, linux\/arm64\/v8\)/);
  });

  it('fails with exit 2 on a missing manifest (404)', async () => {
    const result = await runCli(['image', `${registry.host}/test/app:missing`, '--insecure']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`leakguard: ${registry.host}/test/app: manifest missing not found (404)\n`);
  });

  it('fails naming the layer when a blob does not match its digest', async () => {
    await skopeoPush(`docker-archive:${archive}`, `${registry.host}/test/tampered:1`);
    const manifest = (await (
      await fetch(`http://${registry.host}/v2/test/tampered/manifests/1`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } })
    ).json()) as { layers: { digest: string }[] };
    const target = manifest.layers[1]?.digest ?? '';
    const hex = target.slice(7);
    const data = join(registry.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
    const bytes = await readFile(data);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    await writeFile(data, bytes);
    const result = await runCli(['image', `${registry.host}/test/tampered:1`, '--insecure', '--jobs', '1']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`layer 1 (${target.slice(0, 19)})`);
    expect(result.stderr).toMatch(/mismatch/);
  });

  it('tells a TLS failure from a plain-HTTP registry and suggests --insecure', async () => {
    const result = await runCli(['image', `${registry.host}/test/app:1`, '--timeout', '5']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/cannot reach the registry .*plain-HTTP registries need --insecure/);
  });
});

describe('registry with htpasswd auth', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: { username: 'ci-bot', password: PASSWORD } });
    await skopeoPush(`docker-archive:${archive}`, `${registry.host}/private/app:1`, { creds: `ci-bot:${PASSWORD}` });
  }, 60_000);
  afterAll(async () => registry?.stop());

  const ref = (): string => `${registry.host}/private/app:1`;

  it('without credentials: a clear message and exit 2', async () => {
    const result = await runCli(['image', ref(), '--insecure'], { env: { HOME: dir } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^leakguard: 127\.0\.0\.1:\d+\/private\/app: authentication required \(401\) .*--password-stdin.*\n$/);
  });

  it.each([
    ['--username and --password-stdin', ['--username', 'ci-bot', '--password-stdin'], { HOME: '/nonexistent' }, `${PASSWORD}\n`],
    ['the environment', [], { HOME: '/nonexistent', LEAKGUARD_REGISTRY_USERNAME: 'ci-bot', LEAKGUARD_REGISTRY_PASSWORD: PASSWORD }, undefined],
  ])('with credentials from %s', async (_from, flags, env, stdin) => {
    const result = await runCli(['image', ref(), '--insecure', '--format', 'json', '--jobs', '1', ...flags], { env, ...(stdin === undefined ? {} : { stdin }) });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(Object.keys(secretsByPath(result.stdout))).toContain('app/settings.ini');
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('with credentials from docker config.json (DOCKER_CONFIG, base64 auth)', async () => {
    const config = join(dir, 'docker-config');
    await mkdir(config, { recursive: true });
    const auth = Buffer.from(`ci-bot:${PASSWORD}`).toString('base64');
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const result = await runCli(['image', ref(), '--insecure', '--jobs', '1'], { env: { DOCKER_CONFIG: config } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(result.stdout + result.stderr).not.toContain(auth);
  });

  it('rejected credentials: exit 2, and the password is never printed', async () => {
    const wrong = `${PASSWORD}-wrong`;
    const result = await runCli(['image', ref(), '--insecure', '--username', 'ci-bot', '--password-stdin'], { env: { HOME: dir }, stdin: wrong });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/credentials from --username\/--password-stdin were rejected \(401\)/);
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });
});

describe('registry with bearer-token auth (WWW-Authenticate challenge → token service)', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  beforeAll(async () => {
    tokens = await startTokenServer({ username: 'ci-bot', password: PASSWORD });
    registry = await startRegistry({ token: tokens });
    await skopeoPush(`docker-archive:${archive}`, `${registry.host}/private/app:1`, { creds: `ci-bot:${PASSWORD}` });
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
  });

  it('follows the challenge: realm, service and pull scope, with Basic credentials to the token service', async () => {
    tokens.requests.length = 0;
    const result = await runCli(['image', `${registry.host}/private/app:1`, '--insecure', '--format', 'json', '--jobs', '1', '--username', 'ci-bot', '--password-stdin'], {
      env: { HOME: dir },
      stdin: PASSWORD,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(Object.keys(secretsByPath(result.stdout))).toContain('app/settings.ini');
    expect(tokens.requests).toContainEqual({ scope: 'repository:private/app:pull', service: tokens.service, basic: true });
    expect(result.stdout).not.toContain(PASSWORD);
  });

  it('anonymous: the token service refuses, exit 2 with what to do', async () => {
    const result = await runCli(['image', `${registry.host}/private/app:1`, '--insecure'], { env: { HOME: dir } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/authentication required \(401\).*--password-stdin/);
  });
});

describe('a registry that never answers', () => {
  let server: Server;
  let host: string;
  beforeAll(async () => {
    // Accepts connections and then sends nothing (or a trickle): what a slowloris registry does.
    server = createServer((request, response) => {
      if (request.url === '/v2/test/slow/manifests/1') {
        response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        response.write('{');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    host = `127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it.each([
    ['no response headers', 'test/hang:1', /no response within 1 s/],
    ['a body that stalls', 'test/slow:1', /transfer stalled/],
  ])('%s: the scan fails after --timeout instead of hanging', async (_what, name, message) => {
    const started = Date.now();
    const result = await runCli(['image', `${host}/${name}`, '--insecure', '--timeout', '1']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
