import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../../scanner-core/src/testing/fake-tokens.js';
import { dockerArchive, type ImageSpec } from '../../../scanner-core/src/testing/image-fixtures.js';
import { multitoolResults, schemaErrors } from '../../../scanner-core/src/testing/sarif-validate.js';
import { jsonPlaces, placeKeys } from '../testing/image-json.js';
import { runCli } from '../testing/run-cli.js';

/** `leakguard image` on hand-made archives: report formats, exit codes, the layer cache across runs. */
const T = { file: fakeGithubToken(4301), deleted: fakeGithubToken(4302), env: fakeGithubToken(4303), base: fakeGithubToken(4304) };

const BASE_LAYER = { files: [{ name: 'opt/base.cfg', content: `token=${T.base}\n` }], createdBy: 'ADD base.tar /' };
const APP: ImageSpec = {
  tag: 'registry.example.com/team/app:2',
  env: [`GH_TOKEN=${T.env}`],
  layers: [
    BASE_LAYER,
    {
      files: [
        { name: 'srv/app.env', content: `X=1\nGITHUB=${T.file}\n` },
        { name: 'srv/tmp.key', content: `${T.deleted}\n` },
      ],
      createdBy: '/bin/sh -c #(nop) COPY dir:abc in /srv',
    },
    { files: [{ name: 'srv/.wh.tmp.key' }], createdBy: '/bin/sh -c rm /srv/tmp.key' },
  ],
};
const OTHER: ImageSpec = { tag: 'other:1', layers: [BASE_LAYER, { files: [{ name: 'other.txt', content: 'clean\n' }] }] };

let dir: string;
let archive: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leakguard-image-cli-'));
  archive = join(dir, 'images.tar');
  await writeFile(archive, await dockerArchive([APP, OTHER]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('leakguard image (archives)', () => {
  it('exits 1 and names image, layer and the deleting layer in text output, without secret values', async () => {
    const result = await runCli(['image', 'images.tar', '--jobs', '1'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('srv/tmp.key');
    expect(result.stdout).toContain('removed-in-later-layer');
    for (const value of Object.values(T)) expect(result.stdout + result.stderr).not.toContain(value);
  });

  it('writes SARIF that passes the 2.1.0 schema and the multitool, with logical locations for image and layer', async () => {
    const result = await runCli(['image', archive, '--format', 'sarif', '--jobs', '1']);
    expect(result.exitCode).toBe(1);
    const log = JSON.parse(result.stdout) as { runs: { results: { message: { text: string }; locations: Record<string, unknown>[] }[] }[] };
    expect(schemaErrors(log)).toEqual([]);
    expect(multitoolResults(log).filter((r) => r.level === 'error')).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    const deleted = results.find((r) => r.message.text.includes('deleted by layer 2'));
    const location = deleted?.locations[0] as {
      physicalLocation: { artifactLocation: { uri: string } };
      logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
    };
    expect(location.physicalLocation.artifactLocation.uri).toBe('srv/tmp.key');
    expect(location.logicalLocations.map((l) => [l.kind, l.name])).toEqual([
      ['module', APP.tag],
      ['namespace', 'layer 1'],
    ]);
    expect(location.logicalLocations[1]?.fullyQualifiedName).toMatch(/^registry\.example\.com\/team\/app:2@sha256:[a-f0-9]{64}\/layers\/1$/);
    for (const value of Object.values(T)) expect(result.stdout).not.toContain(value);
  });

  it('--cache-dir: a second run reads no layer and reports the same findings', async () => {
    const cache = join(dir, 'cache');
    const args = ['image', archive, '--format', 'json', '--no-group', '--jobs', '1', '--cache-dir', cache];
    const first = await runCli(args);
    const second = await runCli(args);
    expect(first.exitCode).toBe(1);
    expect(second.exitCode).toBe(1);
    expect(placeKeys(jsonPlaces(second.stdout))).toEqual(placeKeys(jsonPlaces(first.stdout)));
    const summary = (JSON.parse(second.stdout) as { summary: { skipped: Record<string, number> } }).summary;
    expect(summary.skipped['layer already scanned (same digest)']).toBe(5);
    const stored = await readdir(cache, { recursive: true });
    for (const file of stored.filter((f) => f.endsWith('.json'))) {
      const text = await readFile(join(cache, file), 'utf8');
      for (const value of Object.values(T)) expect(text).not.toContain(value);
    }
  });

  it('a different rule set does not reuse cached results', async () => {
    const cache = join(dir, 'cache-rules');
    await runCli(['image', archive, '--jobs', '1', '--cache-dir', cache]);
    await writeFile(join(dir, 'no-github.yaml'), 'rules:\n  disable: []\nallow:\n  stopwords: [zzzz-not-present]\n');
    const other = await runCli(['image', archive, '--format', 'json', '--jobs', '1', '--cache-dir', cache, '--config', join(dir, 'no-github.yaml')]);
    const summary = (JSON.parse(other.stdout) as { summary: { skipped: Record<string, number> } }).summary;
    expect(summary.skipped['layer already scanned (same digest)']).toBe(1); // only the in-run duplicate base layer
  });

  it('--verify-digests: a layer whose bytes changed after docker save is an error naming it; without, it is scanned as it is', async () => {
    const bytes = await readFile(archive);
    const at = bytes.indexOf('clean\n');
    expect(bytes.indexOf('clean\n', at + 1)).toBe(-1);
    bytes.write('dirty\n', at);
    const tampered = join(dir, 'tampered.tar');
    await writeFile(tampered, bytes);
    const checked = await runCli(['image', tampered, '--jobs', '1', '--verify-digests']);
    expect(checked.exitCode).toBe(2);
    expect(checked.stderr).toMatch(/^leakguard: other:1 layer 1 \(sha256:[0-9a-f]{12}\): diff id \(uncompressed digest\) mismatch: manifest says sha256:[0-9a-f]{64}, content is sha256:[0-9a-f]{64}\n$/);
    const unchecked = await runCli(['image', tampered, '--format', 'json', '--no-group', '--jobs', '1']);
    expect(unchecked.exitCode).toBe(1);
    const first = await runCli(['image', archive, '--format', 'json', '--no-group', '--jobs', '1']);
    expect(placeKeys(jsonPlaces(unchecked.stdout))).toEqual(placeKeys(jsonPlaces(first.stdout)));
  });

  it('a missing file is a one-line error with exit 2', async () => {
    const result = await runCli(['image', './nope.tar'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('leakguard: ./nope.tar: no such file or directory\n');
  });

  it('a file that is not an image archive is a one-line error with exit 2', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello\n');
    const result = await runCli(['image', 'notes.txt'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^leakguard: notes\.txt: not an image archive \(.*\)\n$/);
  });

  it('--password-stdin without --username is a usage error', async () => {
    const result = await runCli(['image', archive, '--password-stdin'], { stdin: 'x\n' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--password-stdin needs --username');
  });
});
