import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../packages/scanner-core/src/testing/image-fixtures.js';

export interface RawLayer {
  /** The blob as stored (a tar, or its gzip). */
  readonly blob: Buffer;
  readonly gzip?: boolean;
  /** The uncompressed tar's digest (diff id); for an intact uncompressed layer, the blob's own digest. */
  readonly diffId?: string;
  /** Leave the blob out of blobs/ (a manifest pointing at a missing blob). */
  readonly missing?: boolean;
}

/**
 * An OCI image layout from raw layer bytes, so a test can put a hand-crafted (damaged, hostile) tar in
 * a layer. Returns the layer digests.
 */
export function writeRawOciLayout(dir: string, layers: readonly RawLayer[]): string[] {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Buffer): string => {
    const digest = sha256(data);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
    return digest;
  };
  const digests = layers.map((l) => sha256(l.blob));
  layers.forEach((l) => {
    if (l.missing !== true) put(l.blob);
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/bin'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l, i) => l.diffId ?? digests[i]) },
      history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
      layers: layers.map((l, i) => ({
        mediaType: `application/vnd.oci.image.layer.v1.tar${l.gzip === true ? '+gzip' : ''}`,
        digest: digests[i],
        size: l.blob.length,
      })),
    }),
  );
  const manifestDigest = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return digests;
}
