import { InputError } from '../../errors.js';
import { describeLayers, isRecord, parseJson, type ImageConfigJson, type ImageDescription } from './image-description.js';
import type { ImageAccess, ImageProvider } from './image-provider.js';
import { manifestReference, parseReference, type ImageReference } from './image-reference.js';
import { descriptors, isIndex } from './oci-layout.js';
import { DEFAULT_PLATFORM, formatPlatform, matchesPlatform, type Platform } from './platform.js';
import { RegistryClient, type FetchedManifest, type RegistryClientOptions } from './registry-client.js';

export interface RegistryProviderOptions extends RegistryClientOptions {
  /** Which manifest of a manifest list / OCI index to scan (default linux/amd64). */
  readonly platform?: Platform;
}

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * An image in a registry, read over the OCI distribution API: manifest (through a manifest list or OCI
 * index for the chosen platform), config, then each layer blob streamed into the scanner with its
 * digest verified. Docker v2 and OCI manifests; gzip, zstd or plain layers.
 */
export class RegistryProvider implements ImageProvider {
  readonly input: string;
  readonly #ref: ImageReference;
  readonly #options: RegistryProviderOptions;

  constructor(reference: string, options: RegistryProviderOptions = {}) {
    this.input = reference;
    this.#ref = parseReference(reference);
    this.#options = options;
  }

  async open(): Promise<ImageAccess> {
    const client = new RegistryClient(this.#ref, this.#options);
    const manifest = await this.#imageManifest(client);
    const doc = isRecord(manifest.doc) ? manifest.doc : {};
    const config = descriptors([doc['config']])[0];
    if (config === undefined) throw new InputError(`${this.input}: manifest ${manifest.digest} has no config (schema 1 manifests are not supported)`);
    // parseJson, not JSON.parse: a syntax error's message would quote the config, which may hold secrets.
    const configJson = parseJson(await client.blobBytes(config.digest, MAX_CONFIG_BYTES, `config ${config.digest}`));
    if (!isRecord(configJson)) throw new InputError(`${this.input}: image config ${config.digest} is not a JSON object`);
    const layers = descriptors(doc['layers']).map((d) => ({ location: d.digest, digest: d.digest }));
    const image: ImageDescription = {
      ref: this.input,
      digest: manifest.digest,
      config: configJson as ImageConfigJson,
      layers: describeLayers(configJson as ImageConfigJson, layers),
    };
    return {
      kind: 'random',
      images: [image],
      openLayer: (_image, layer) => client.blob(layer.location, `layer ${layer.index} blob ${layer.location}`),
      close: () => Promise.resolve(),
      remote: true,
    };
  }

  /** The image manifest, resolving a manifest list / OCI index to the wanted platform. */
  async #imageManifest(client: RegistryClient): Promise<FetchedManifest> {
    const top = await client.manifest(manifestReference(this.#ref));
    if (!isIndex(top.mediaType, top.doc)) {
      if (top.mediaType === 'application/vnd.docker.distribution.manifest.v1+json' || top.mediaType === 'application/vnd.docker.distribution.manifest.v1+prettyjws') {
        throw new InputError(`${this.input}: Docker schema 1 manifests are not supported`);
      }
      return top;
    }
    const platform = this.#options.platform ?? DEFAULT_PLATFORM;
    const list = descriptors(isRecord(top.doc) ? top.doc['manifests'] : undefined);
    const chosen = list.find((d) => matchesPlatform(d.platform, platform));
    if (chosen === undefined) {
      const offered = list.map((d) => (isRecord(d.platform) ? formatPlatform(d.platform as Platform) : 'unknown')).join(', ');
      throw new InputError(`${this.input}: no manifest for ${formatPlatform(platform)} (the index offers: ${offered || 'none'}); choose one with --platform`);
    }
    const manifest = await client.manifest(chosen.digest);
    if (isIndex(manifest.mediaType, manifest.doc)) throw new InputError(`${this.input}: nested index ${chosen.digest} is not supported`);
    return manifest;
  }
}
