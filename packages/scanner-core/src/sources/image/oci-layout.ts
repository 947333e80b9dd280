import { InputError } from '../../errors.js';
import { describeLayers, isRecord, parseJson, type ImageConfigJson, type ImageDescription } from './image-description.js';
import type { ImageFiles } from './image-files.js';
import { formatPlatform, matchesPlatform, type Platform } from './platform.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** A content descriptor as in OCI manifests and indexes. */
export interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size?: number;
  readonly platform?: Platform;
  readonly annotations?: Record<string, string>;
}

export function isIndex(mediaType: string | undefined, doc: unknown): boolean {
  if (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerList) return true;
  return isRecord(doc) && Array.isArray(doc['manifests']) && !Array.isArray(doc['layers']);
}

/** The descriptors in a manifest's `manifests` / `layers` list; entries without a digest are dropped. */
export function descriptors(list: unknown): Descriptor[] {
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).filter((d): d is Descriptor => isRecord(d) && typeof d['digest'] === 'string' && /^[a-z0-9]+:[a-f0-9]+$/.test(d['digest']));
}

export function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm ?? 'sha256'}/${hex ?? ''}`;
}

/**
 * Reads an OCI image layout (directory or archive): `index.json` → (nested indexes) → manifests →
 * config and layers under `blobs/<alg>/<hex>`. With a platform, only matching manifests are read;
 * without one every manifest present in the layout is. Returns undefined when there is no index.json.
 */
export async function readOciLayout(files: ImageFiles, input: string, platform?: Platform): Promise<ImageDescription[] | undefined> {
  const index = parseJson(await files.read('index.json'));
  if (index === undefined) return undefined;
  if (!isRecord(index)) throw new InputError(`${input}: index.json is not a JSON object`);
  const images: ImageDescription[] = [];
  const seen = new Set<string>();
  const visit = async (list: Descriptor[], depth: number, inherited: string | undefined): Promise<void> => {
    for (const d of list) {
      if (seen.has(d.digest) || depth > 4) continue;
      seen.add(d.digest);
      if (platform !== undefined && d.platform !== undefined && !matchesPlatform(d.platform, platform)) continue;
      const name = refName(d) ?? inherited;
      const doc = parseJson(await files.read(blobPath(d.digest)));
      if (doc === undefined) {
        // Multi-platform layouts often hold only some platforms' blobs; anything else is an error.
        if (d.platform !== undefined) continue;
        throw new InputError(`${input}: manifest ${d.digest} named in index.json is missing or not JSON`);
      }
      if (isIndex(d.mediaType, doc) && isRecord(doc)) await visit(descriptors(doc['manifests']), depth + 1, name);
      else images.push(await readManifest(files, input, d.digest, doc, name));
    }
  };
  await visit(descriptors(index['manifests']), 0, undefined);
  if (images.length === 0) throw new InputError(`${input}: index.json names no image manifest${platform ? ` for ${formatPlatform(platform)}` : ''}`);
  return images;
}

async function readManifest(files: ImageFiles, input: string, digest: string, doc: unknown, name: string | undefined): Promise<ImageDescription> {
  const manifest = isRecord(doc) ? doc : {};
  const configDescriptor = descriptors([manifest['config']])[0];
  if (configDescriptor === undefined) throw new InputError(`${input}: manifest ${digest} has no config descriptor`);
  const config = parseJson(await files.read(blobPath(configDescriptor.digest)));
  if (!isRecord(config)) throw new InputError(`${input}: image config ${configDescriptor.digest} is missing or not JSON`);
  const layers = [];
  for (const layer of descriptors(manifest['layers'])) {
    const location = await files.resolve(blobPath(layer.digest));
    if (location === undefined) throw new InputError(`${input}: layer blob ${layer.digest} of manifest ${digest} is missing`);
    layers.push({ location, digest: layer.digest });
  }
  return {
    ref: name === undefined ? input : /[:/@]/.test(name) ? name : `${input}:${name}`,
    digest,
    config: config as ImageConfigJson,
    layers: describeLayers(config as ImageConfigJson, layers),
  };
}

/** The image name an index entry carries: containerd's full name, else the OCI ref name (often a tag). */
function refName(d: Descriptor): string | undefined {
  const annotations = isRecord(d.annotations) ? d.annotations : {};
  const full = annotations['io.containerd.image.name'];
  const ref = annotations['org.opencontainers.image.ref.name'];
  return typeof full === 'string' ? full : typeof ref === 'string' ? ref : undefined;
}
