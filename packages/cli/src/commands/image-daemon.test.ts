import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
import { multitoolResults, schemaErrors } from '../../../scanner-core/src/testing/sarif-validate.js';
import { githubFingerprint, jsonPlaces, placeKeys, type JsonPlace } from '../testing/image-json.js';
import { runCli } from '../testing/run-cli.js';

/**
 * Real Docker engine tests. They read DOCKER_HOST (e.g. unix:///tmp/x/docker.sock, as .ci/run exports
 * after starting dockerd). Without it they are skipped locally, but under CI (CI set) the first test
 * fails: the engine is part of the test environment there.
 */
const DOCKER_HOST = process.env['DOCKER_HOST'] ?? '';
const run = promisify(execFile);
const docker = (args: string[]): Promise<{ stdout: string }> =>
  run('docker', args, { env: { ...process.env, DOCKER_HOST, DOCKER_BUILDKIT: '0' }, maxBuffer: 64 * 1024 * 1024 });

const T = { file: fakeGithubToken(4101), deleted: fakeGithubToken(4102), env: fakeGithubToken(4103), arg: fakeGithubToken(4104) };
const suffix = `${process.pid}-${Date.now()}`;
const BASE = `leakguard-test/busybox:${suffix}`;
const APP = `leakguard-test/app:${suffix}`;

it('has a Docker engine when running under CI (DOCKER_HOST must be set)', () => {
  if (process.env['CI'] !== undefined && process.env['CI'] !== '') expect(DOCKER_HOST, 'CI must start dockerd and export DOCKER_HOST').not.toBe('');
});

describe.skipIf(DOCKER_HOST === '')('leakguard image against a real Docker engine', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leakguard-daemon-'));
    // A busybox rootfs from Debian's busybox-static, imported: no image is ever pulled.
    const rootfs = join(dir, 'rootfs');
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    for (const applet of ['sh', 'rm', 'echo', 'cat']) await symlink('busybox', join(rootfs, 'bin', applet));
    await run('tar', ['-C', rootfs, '-cf', join(dir, 'rootfs.tar'), '.']);
    await docker(['import', join(dir, 'rootfs.tar'), BASE]);
    const context = join(dir, 'context');
    await mkdir(context);
    await writeFile(join(context, 'secret.txt'), `api_token = "${T.file}"\n`);
    await writeFile(join(context, 'deleted.txt'), `old: ${T.deleted}\n`);
    await writeFile(
      join(context, 'Dockerfile'),
      [
        `FROM ${BASE}`,
        'ARG BUILD_TOKEN',
        `ENV API_TOKEN=${T.env}`,
        'COPY secret.txt /app/secret.txt',
        'COPY deleted.txt /app/deleted.txt',
        'RUN rm /app/deleted.txt',
        'RUN echo "build=$BUILD_TOKEN" > /app/build.txt',
        '',
      ].join('\n'),
    );
    await docker(['build', '--network=none', '--build-arg', `BUILD_TOKEN=${T.arg}`, '-t', APP, context]);
  }, 180_000);

  afterAll(async () => {
    await docker(['rmi', '-f', APP, BASE]).catch(() => undefined);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('streams the image from the daemon and reports files, deleted files, ENV and build args', async () => {
    const result = await runCli(['image', APP, '--from', 'daemon', '--format', 'json', '--jobs', '1'], { env: { DOCKER_HOST } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const places = jsonPlaces(result.stdout);
    const at = (token: string): string[] => places.filter((p) => p.fingerprint === githubFingerprint(token)).map((p) => p.path).sort();
    expect(at(T.file)).toEqual(['app/secret.txt']);
    expect(at(T.deleted)).toEqual(['app/deleted.txt']);
    expect(at(T.env)).toEqual(expect.arrayContaining([expect.stringMatching(/^config:Env\[\d+\]$/)]));
    expect(at(T.arg)).toEqual(expect.arrayContaining(['app/build.txt', expect.stringMatching(/^config:history\[\d+\]\.created_by$/)]));
    const deleted = places.find((p) => p.path === 'app/deleted.txt');
    expect(deleted).toMatchObject({ source: 'image-layer', image: APP, flag: 'removed-in-later-layer' });
    expect(deleted?.removedInLayerIndex).toBeGreaterThan(deleted?.layerIndex ?? Infinity);
    expect(deleted?.createdBy).toMatch(/COPY file:.* in \/app\/deleted\.txt/);
    const build = places.find((p) => p.path === 'app/build.txt');
    expect(build?.createdBy).toMatch(/^\|1 BUILD_TOKEN=.* \/bin\/sh -c echo/);
    for (const value of Object.values(T)) expect(result.stdout).not.toContain(value);
  });

  it('detects a name the daemon knows without --from, and matches a docker save of the same image', async () => {
    const live = await runCli(['image', APP, '--format', 'json', '--jobs', '1'], { env: { DOCKER_HOST } });
    const saved = join(dir, 'saved.tar');
    await docker(['save', '-o', saved, APP]);
    const archive = await runCli(['image', saved, '--format', 'json', '--jobs', '1'], { env: {} });
    expect(live.exitCode).toBe(1);
    expect(archive.exitCode).toBe(1);
    expect(placeKeys(jsonPlaces(archive.stdout))).toEqual(placeKeys(jsonPlaces(live.stdout)));
  });

  it('--dockerfile maps layer and config findings to instruction lines, in JSON and in valid SARIF', async () => {
    const dockerfile = join(dir, 'context', 'Dockerfile');
    const json = await runCli(['image', APP, '--format', 'json', '--no-group', '--jobs', '1', '--dockerfile', dockerfile], { env: { DOCKER_HOST }, cwd: dir });
    const lineOf = (path: string | RegExp): number | undefined =>
      jsonPlaces(json.stdout).find((p) => (typeof path === 'string' ? p.path === path : path.test(p.path)))?.['dockerfileLine' as keyof JsonPlace] as number | undefined;
    expect(lineOf('app/secret.txt')).toBe(4);
    expect(lineOf('app/deleted.txt')).toBe(5);
    expect(lineOf('app/build.txt')).toBe(7);
    expect(lineOf(/^config:Env/)).toBe(3);
    const sarif = await runCli(['image', APP, '--format', 'sarif', '--jobs', '1', '--dockerfile', 'context/Dockerfile'], { env: { DOCKER_HOST }, cwd: dir });
    const log = JSON.parse(sarif.stdout) as { runs: { results: { message: { text: string }; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(schemaErrors(log)).toEqual([]);
    expect(multitoolResults(log).filter((r) => r.level === 'error')).toEqual([]);
    const related = log.runs[0]?.results.flatMap((r) => r.relatedLocations ?? []).map((l) => `${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine}`);
    expect(related).toEqual(expect.arrayContaining(['context/Dockerfile:4', 'context/Dockerfile:7']));
  });

  it('answers a missing image with one line and exit 2', async () => {
    const result = await runCli(['image', `leakguard-test/absent:${suffix}`, '--from', 'daemon'], { env: { DOCKER_HOST } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^leakguard: leakguard-test\/absent:.*: no such image in the Docker daemon at unix:\/\/.*\n$/);
  });

  it('names an unreachable daemon (--docker-host overrides DOCKER_HOST)', async () => {
    const result = await runCli(['image', APP, '--from', 'daemon', '--docker-host', `unix://${dir}/nothing.sock`], { env: { DOCKER_HOST } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/cannot reach the Docker daemon at unix:\/\/.*nothing\.sock \(ENOENT\)/);
  });
});
