import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** A member of a hand-made tar. */
export interface TarMember {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link';
  readonly linkname?: string;
}

export interface LayerSpec {
  readonly files: readonly TarMember[];
  readonly createdBy?: string;
  readonly compression?: 'gzip' | 'zstd' | 'none';
}

export interface ImageSpec {
  readonly tag?: string;
  readonly env?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly layers: readonly LayerSpec[];
  /** History entries with no layer (ENV, ARG), inserted before layer i's entry: `[i, created_by]`. */
  readonly emptyHistory?: readonly (readonly [number, string])[];
}

/** A tar built with tar-stream in memory, members in the given order. */
export async function tarOf(members: readonly TarMember[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  const collected = (async () => {
    for await (const part of pack as AsyncIterable<Buffer>) parts.push(part);
  })();
  for (const m of members) {
    const type = m.type ?? 'file';
    const content = m.content === undefined ? Buffer.alloc(0) : Buffer.from(m.content);
    await new Promise<void>((resolve, reject) => {
      const header = { name: m.name, type, mode: type === 'directory' ? 0o755 : 0o644, ...(m.linkname === undefined ? {} : { linkname: m.linkname }) };
      if (type === 'file') pack.entry({ ...header, size: content.length }, content, (e) => (e ? reject(e) : resolve()));
      else pack.entry(header, (e) => (e ? reject(e) : resolve()));
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(parts);
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function compress(data: Buffer, compression: LayerSpec['compression']): Buffer {
  if (compression === 'gzip') return gzipSync(data);
  if (compression === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
  return data;
}

interface BuiltLayer {
  readonly tar: Buffer;
  readonly blob: Buffer;
  readonly diffId: string;
  readonly digest: string;
}

async function buildLayers(image: ImageSpec): Promise<BuiltLayer[]> {
  const out: BuiltLayer[] = [];
  for (const layer of image.layers) {
    const layerTar = await tarOf(layer.files);
    const blob = compress(layerTar, layer.compression);
    out.push({ tar: layerTar, blob, diffId: sha256(layerTar), digest: sha256(blob) });
  }
  return out;
}

/** An image config with Env, Labels, rootfs and history (build-arg style `|1 KEY=v` lines pass through). */
export function imageConfig(image: ImageSpec, layers: readonly { readonly diffId: string }[]): Buffer {
  const history: Record<string, unknown>[] = [];
  image.layers.forEach((layer, i) => {
    for (const [at, createdBy] of image.emptyHistory ?? []) if (at === i) history.push({ created_by: createdBy, empty_layer: true });
    history.push({ created_by: layer.createdBy ?? `/bin/sh -c #(nop) layer ${i}` });
  });
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: image.env ?? ['PATH=/usr/bin:/bin'], Labels: image.labels ?? null, Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history,
    }),
  );
}

/**
 * A `docker save` archive. `docker`: legacy `<id>/layer.tar`; `docker25`: `blobs/sha256/<hex>` plus
 * index.json; `podman`: `<sha>.tar` at the top with `<id>/layer.tar` a symlink to it. Layers are
 * stored as specified (docker itself stores them uncompressed). Manifest last, as docker writes it.
 */
export async function dockerArchive(images: readonly ImageSpec[], layout: 'docker' | 'docker25' | 'podman' = 'docker'): Promise<Buffer> {
  const members: TarMember[] = [];
  const manifest: Record<string, unknown>[] = [];
  const written = new Set<string>();
  for (const image of images) {
    const layers = await buildLayers(image);
    const config = imageConfig(image, layers);
    const configName = layout === 'docker25' ? `blobs/sha256/${sha256(config).slice(7)}` : `${sha256(config).slice(7)}.json`;
    const names: string[] = [];
    for (const layer of layers) {
      const hex = layer.digest.slice(7);
      const id = createHash('sha256').update(`v1-${hex}`).digest('hex');
      const name = layout === 'docker25' ? `blobs/sha256/${hex}` : `${id}/layer.tar`;
      names.push(name);
      if (written.has(name)) continue;
      written.add(name);
      if (layout === 'podman') {
        members.push({ name: `${hex}.tar`, content: layer.blob });
        members.push({ name: `${id}/`, type: 'directory' }, { name: `${id}/layer.tar`, type: 'symlink', linkname: `../${hex}.tar` });
      } else if (layout === 'docker') {
        members.push({ name: `${id}/`, type: 'directory' }, { name: `${id}/VERSION`, content: '1.0' }, { name: name, content: layer.blob });
      } else {
        members.push({ name, content: layer.blob });
      }
    }
    if (!written.has(configName)) members.push({ name: configName, content: config });
    written.add(configName);
    manifest.push({ Config: configName, RepoTags: image.tag === undefined ? null : [image.tag], Layers: names });
  }
  members.push({ name: 'manifest.json', content: JSON.stringify(manifest) });
  return tarOf(members);
}

/** An OCI image layout written to `dir` (blobs/sha256/..., index.json, oci-layout). */
export async function writeOciLayout(dir: string, image: ImageSpec, refName = 'latest'): Promise<{ manifestDigest: string; layerDigests: string[] }> {
  const layers = await buildLayers(image);
  const config = imageConfig(image, layers);
  const mediaType = (c: LayerSpec['compression']): string =>
    `application/vnd.oci.image.layer.v1.tar${c === 'gzip' ? '+gzip' : c === 'zstd' ? '+zstd' : ''}`;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: layers.map((l, i) => ({ mediaType: mediaType(image.layers[i]?.compression), digest: l.digest, size: l.blob.length })),
    }),
  );
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Buffer): Promise<void> => writeFile(join(dir, 'blobs', 'sha256', sha256(data).slice(7)), data);
  for (const l of layers) await put(l.blob);
  await put(config);
  await put(manifest);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(manifest),
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': refName },
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    }),
  );
  return { manifestDigest: sha256(manifest), layerDigests: layers.map((l) => l.digest) };
}
