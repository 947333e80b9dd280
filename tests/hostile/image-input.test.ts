import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { tarOf } from '../../packages/scanner-core/src/testing/image-fixtures.js';
import { expectInputError, lg, places, report, scratch, token, warningLines } from './hostile-kit.js';
import { writeRawOciLayout } from './raw-oci-layout.js';
import { TAR_END, tarData, tarHeader } from './tar-craft.js';

const sha = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
/** How the image source names a layer in warnings: `<image> layer <i> (<short digest>)`. */
const layerLabel = (dir: string, index: number, digest: string): string => `${dir}:latest layer ${index} (${digest.slice(0, 19)})`;

const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** A registry on 127.0.0.1 that serves `/v2/team/app/...` through `handle`; returns `host:port`. */
async function registry(handle: (path: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/v2/') {
      res.writeHead(200).end('{}');
      return;
    }
    handle(req.url ?? '', res);
  });
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A registry serving the OCI layout in `dir` (manifest `1`), with `blob` deciding each blob's response. */
async function layoutRegistry(dir: string, blob: (digest: string, bytes: Buffer, res: ServerResponse) => void): Promise<string> {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifestPath = join(dir, 'blobs', 'sha256', (index.manifests[0]?.digest ?? '').slice(7));
  return registry((path, res) => {
    if (path.endsWith('/manifests/1')) {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(readFileSync(manifestPath));
      return;
    }
    const digest = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path)?.[1] ?? '';
    const file = join(dir, 'blobs', 'sha256', digest.slice(7));
    if (!existsSync(file)) res.writeHead(404).end();
    else blob(digest, readFileSync(file), res);
  });
}

describe('hostile images: tar members', () => {
  it('tar names with ../ and absolute paths are labels only: scanned, reported normalised, nothing written outside', async () => {
    const dir = scratch('tar-paths');
    const escape = `leakguard-hostile-escape-${process.pid}.env`;
    const layer = await tarOf([
      { name: 'ok.env', content: `A=${token(1)}\n` },
      { name: `../../../../tmp/${escape}`, content: `B=${token(2)}\n` },
      { name: '/etc/abs.env', content: `C=${token(3)}\n` },
    ]);
    writeRawOciLayout(dir, [{ blob: layer }]);
    const result = await lg(['image', dir, '-f', 'json']);
    expect(result.stderr).toBe('');
    expect(places(report(result))).toEqual(['etc/abs.env:1', 'ok.env:1', `tmp/${escape}:1`]);
    expect(existsSync(`/tmp/${escape}`)).toBe(false);
    expect(result.exitCode).toBe(1);
  });

  it('hard links and symlinks to outside the image are never followed or read: the layer goes on', async () => {
    const after = { name: 'after.env', content: `A=${token(1)}\n` };
    const dir = scratch('tar-links');
    writeRawOciLayout(dir, [
      {
        blob: await tarOf([
          { name: 'hard', type: 'link', linkname: '../../../../etc/passwd' },
          { name: 'soft', type: 'symlink', linkname: '/etc/shadow' },
          { name: 'abs-hard', type: 'link', linkname: '/root/.ssh/id_rsa' },
          after,
        ]),
      },
    ]);
    const plain = scratch('tar-nolinks');
    writeRawOciLayout(plain, [{ blob: await tarOf([after]) }]);
    const result = await lg(['image', dir, '-f', 'json']);
    expect(result.stderr).toBe('');
    expect(places(report(result))).toEqual(['after.env:1']);
    // Not one byte more is read than for the same image without the links (no /etc/passwd, no id_rsa).
    const { itemsScanned, bytesScanned } = report(await lg(['image', plain, '-f', 'json'])).summary;
    expect(report(result).summary).toMatchObject({ itemsScanned, bytesScanned });
  });

  it('a member declaring 10 GB (base-256 size) with the data missing: limit warning, truncation warning, earlier members reported', async () => {
    const dir = scratch('tar-10g');
    const first = Buffer.from(`A=${token(1)}\n`);
    const layer = Buffer.concat([tarHeader('a.env', BigInt(first.length)), tarData(first), tarHeader('huge.bin', 10n * 1024n ** 3n), Buffer.alloc(4096, 'x')]);
    const [digest = ''] = writeRawOciLayout(dir, [{ blob: layer }]);
    const result = await lg(['image', dir, '-f', 'json']);
    const label = layerLabel(dir, 0, digest);
    const warnings = [
      { input: `${label}:huge.bin`, message: `larger than --max-file-size (${10 * 1024 ** 3} > ${1024 ** 3} bytes); not scanned` },
      { input: label, message: 'truncated layer (unexpected end of data); rest of the layer not scanned' },
    ];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['a.env:1']);
    expect(result.exitCode).toBe(1);
  });

  it('the same 10 GB member with no size limit is streamed until the data runs out (never allocated whole)', async () => {
    const dir = scratch('tar-10g-nolimit');
    const layer = Buffer.concat([tarHeader('huge.txt', 10n * 1024n ** 3n), Buffer.from(`A=${token(1)}\n`), Buffer.alloc(8192, 'x')]);
    const [digest = ''] = writeRawOciLayout(dir, [{ blob: layer }]);
    const result = await lg(['image', dir, '-f', 'json', '--max-file-size', '0']);
    const warnings = [{ input: layerLabel(dir, 0, digest), message: 'truncated layer (unexpected end of data); rest of the layer not scanned' }];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(places(report(result))).toEqual(['huge.txt:1']);
  });

  it('a directory header that declares a size does not hang the scan (a directory has no body)', async () => {
    const dir = scratch('tar-dir-size');
    const after = Buffer.from(`A=${token(1)}\n`);
    const layer = Buffer.concat([tarHeader('etc/', 1000n, '5'), tarHeader('etc/a.env', BigInt(after.length)), tarData(after), TAR_END]);
    writeRawOciLayout(dir, [{ blob: layer }]);
    const result = await lg(['image', dir, '-f', 'json']);
    expect(result.stderr).toBe('');
    expect(places(report(result))).toEqual(['etc/a.env:1']);
  }, 20_000);

  it('a truncated gzip layer: warning naming the layer, members before the cut reported', async () => {
    const dir = scratch('gz-cut');
    const tar = await tarOf([{ name: 'a.env', content: `A=${token(1)}\n` }, { name: 'b.bin', content: Buffer.alloc(200_000, 'q') }]);
    const gz = gzipSync(tar);
    const [digest = ''] = writeRawOciLayout(dir, [{ blob: gz.subarray(0, gz.length - 200), gzip: true, diffId: sha(tar) }]);
    const result = await lg(['image', dir, '-f', 'json']);
    const warnings = [{ input: layerLabel(dir, 0, digest), message: 'truncated layer (unexpected end of data); rest of the layer not scanned' }];
    expect(report(result).summary.warnings).toEqual(warnings);
    expect(result.stderr).toBe(warningLines(warnings));
    expect(places(report(result))).toEqual(['a.env:1']);
  });

  it('a corrupt gzip layer (valid header, garbage deflate) is a warning, and the next layer is still scanned', async () => {
    const dir = scratch('gz-corrupt');
    const good = await tarOf([{ name: 'b.env', content: `B=${token(2)}\n` }]);
    const bad = Buffer.concat([gzipSync(Buffer.alloc(0)).subarray(0, 10), Buffer.alloc(2000, 0xff)]);
    const [badDigest = ''] = writeRawOciLayout(dir, [{ blob: bad, gzip: true, diffId: sha(Buffer.alloc(0)) }, { blob: good }]);
    const result = await lg(['image', dir, '-f', 'json']);
    const summary = report(result).summary;
    expect(summary.warnings.map((w) => w.input)).toEqual([layerLabel(dir, 0, badDigest)]);
    expect(summary.warnings[0]?.message).toBe('unreadable layer (invalid block type); rest of the layer not scanned');
    expect(places(report(result))).toEqual(['b.env:1']);
  });

  it('a gzip bomb layer stops at --max-decompression-ratio with a warning naming the layer and the limit', async () => {
    const dir = scratch('gz-bomb');
    const tar = await tarOf([{ name: 'a.env', content: `A=${token(1)}\n` }, { name: 'zeros.bin', content: Buffer.alloc(96 * 1024 * 1024) }]);
    const bomb = gzipSync(tar, { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const [digest = ''] = writeRawOciLayout(dir, [{ blob: bomb, gzip: true, diffId: sha(tar) }]);
    const result = await lg(['image', dir, '-f', 'json', '--max-decompression-ratio', '100']);
    const summary = report(result).summary;
    expect(summary.warnings.map((w) => w.input)).toEqual([layerLabel(dir, 0, digest)]);
    expect(summary.warnings[0]?.message).toMatch(
      /^decompressed size exceeds 100x the compressed size \(\d+ bytes from \d+\); looks like a decompression bomb; rest of the layer not scanned \(--max-decompression-ratio\)$/,
    );
    expect(places(report(result))).toEqual(['a.env:1']);
  });

  it('an image manifest pointing at a missing layer blob is an input error naming blob and manifest', async () => {
    const dir = scratch('missing-blob');
    const tar = await tarOf([{ name: 'a.env', content: `A=${token(1)}\n` }]);
    const gz = gzipSync(tar);
    writeRawOciLayout(dir, [{ blob: tar }, { blob: gz, gzip: true, diffId: sha(tar), missing: true }]);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expectInputError(await lg(['image', dir, '-f', 'json']), `${dir}: layer blob ${sha(gz)} of manifest ${index.manifests[0]?.digest ?? ''} is missing`);
  });

  it('a file that is not an image archive at all is an input error', async () => {
    const dir = scratch('not-tar');
    writeFileSync(join(dir, 'img.tar'), 'this is not a tar at all'.repeat(100));
    expectInputError(await lg(['image', join(dir, 'img.tar'), '-f', 'json']), `${join(dir, 'img.tar')}: not an image archive (not a tar archive)`);
  });

  it('a pipe named as the archive is an input error saying what to do, not a failed seek', async () => {
    const fifo = join(scratch('fifo-image'), 'image.tar');
    execFileSync('mkfifo', [fifo]);
    expectInputError(
      await lg(['image', fifo, '-f', 'json']),
      `${fifo}: a pipe or device can be read only once, but an image archive needs two passes; save it to a file first (docker save -o image.tar IMAGE) or name the image to read it from the daemon`,
    );
  });
});

describe('hostile registries (a node http server on 127.0.0.1)', () => {
  it('a registry answering garbage for the manifest: one error line naming registry, repository and manifest', async () => {
    const host = await registry((_path, res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end('\u0000garbage{{{'));
    expectInputError(await lg(['image', `${host}/team/app:1`, '--from', 'registry', '--insecure', '-f', 'json']), `${host}/team/app: manifest 1 is not JSON`);
  });

  it('a slowloris registry (headers, then one byte and silence) times out by --timeout', async () => {
    const host = await registry((_path, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      res.write('{');
    });
    expectInputError(
      await lg(['image', `${host}/team/app:1`, '--from', 'registry', '--insecure', '--timeout', '1', '-f', 'json']),
      `${host}/team/app: manifest 1: transfer stalled (under 1024 bytes in 1 s)`,
    );
  });

  it('a registry that never sends headers times out by --timeout', async () => {
    const host = await registry(() => undefined);
    expectInputError(
      await lg(['image', `${host}/team/app:1`, '--from', 'registry', '--insecure', '--timeout', '1', '-f', 'json']),
      `${host}/team/app: manifest 1: no response within 1 s`,
    );
  });

  it('a registry serving garbage for a layer blob: digest mismatch is an error naming the layer', async () => {
    const dir = scratch('reg-garbage-blob');
    const tar = await tarOf([{ name: 'a.env', content: `A=${token(1)}\n` }]);
    const [digest = ''] = writeRawOciLayout(dir, [{ blob: tar }]);
    const host = await layoutRegistry(dir, (d, bytes, res) => res.writeHead(200).end(d === digest ? Buffer.alloc(bytes.length, 0x41) : bytes));
    const result = await lg(['image', `${host}/team/app:1`, '--from', 'registry', '--insecure', '-f', 'json']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^leakguard: ${host}/team/app:1 layer 0 \\(${digest.slice(0, 19)}\\).*digest mismatch.*\\n$`));
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(report(result).summary.partial).toBe(true);
  });

  it('a registry trickling a layer blob (slowloris body) stalls out by --timeout; nothing hangs', async () => {
    const dir = scratch('reg-trickle');
    const tar = await tarOf([{ name: 'a.env', content: `A=${token(1)}\n` }, { name: 'pad.txt', content: 'p'.repeat(64 * 1024) }]);
    const [digest = ''] = writeRawOciLayout(dir, [{ blob: tar }]);
    const host = await layoutRegistry(dir, (d, bytes, res) => {
      if (d !== digest) {
        res.writeHead(200).end(bytes);
        return;
      }
      res.writeHead(200, { 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, 600)); // then silence
    });
    const result = await lg(['image', `${host}/team/app:1`, '--from', 'registry', '--insecure', '--timeout', '1', '-f', 'json']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/stalled \(under 1024 bytes in 1 s\)/);
    expect([1, 2]).toContain(result.exitCode);
    expect(report(result).summary.partial || report(result).summary.warnings.length > 0).toBe(true);
  });
});
