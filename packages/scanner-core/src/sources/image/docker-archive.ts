import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import { describeLayers, isRecord, parseJson, stringArray, type ImageConfigJson, type ImageDescription } from './image-description.js';
import type { ImageFiles } from './image-files.js';

/**
 * Reads the `manifest.json` of a `docker save` / `podman save` archive:
 * `[{ "Config": "<config>.json", "RepoTags": [...], "Layers": ["<id>/layer.tar", ...] }]`.
 * Docker ≥ 25 names blobs `blobs/sha256/<hex>`; older Docker `<id>/layer.tar`; Podman puts `<sha>.tar`
 * at the top and makes `<id>/layer.tar` a symlink to it. Returns undefined when there is no manifest.json.
 */
export async function readDockerArchive(files: ImageFiles, input: string): Promise<ImageDescription[] | undefined> {
  const raw = await files.read('manifest.json');
  if (raw === undefined) return undefined;
  const manifest = parseJson(raw);
  if (!Array.isArray(manifest)) throw new InputError(`${input}: manifest.json is not a docker-archive manifest (expected a JSON array)`);
  const images: ImageDescription[] = [];
  for (const [i, item] of (manifest as unknown[]).entries()) {
    if (!isRecord(item) || typeof item['Config'] !== 'string') {
      throw new InputError(`${input}: manifest.json[${i}] has no Config`);
    }
    const configName = item['Config'];
    const configBytes = await files.read(configName);
    const config = parseJson(configBytes);
    if (configBytes === undefined || !isRecord(config)) throw new InputError(`${input}: image config ${configName} is missing or not JSON`);
    const layers = [];
    for (const name of stringArray(item['Layers'])) {
      const location = await files.resolve(name);
      if (location === undefined) throw new InputError(`${input}: layer ${name} named in manifest.json is not in the archive`);
      const digest = digestFromName(location);
      layers.push({ location, ...(digest === undefined ? {} : { digest }) });
    }
    const tags = stringArray(item['RepoTags']);
    images.push({
      ref: tags[0] ?? input,
      digest: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
      config: config as ImageConfigJson,
      layers: describeLayers(config as ImageConfigJson, layers),
    });
  }
  return images;
}

/** `blobs/sha256/<hex>` or Podman's `<hex>.tar` name their own content; `<id>/layer.tar` does not. */
function digestFromName(name: string): string | undefined {
  const blob = /^blobs\/(sha256|sha512)\/([a-f0-9]{64,128})$/.exec(name);
  if (blob) return `${blob[1] ?? 'sha256'}:${blob[2] ?? ''}`;
  const podman = /^([a-f0-9]{64})\.tar$/.exec(name);
  return podman ? `sha256:${podman[1] ?? ''}` : undefined;
}
