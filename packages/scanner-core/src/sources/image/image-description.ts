/**
 * What every image input (archive, OCI layout, daemon, registry) is reduced to before scanning: the
 * image's names, its config, and its layers in order with the Dockerfile instruction that made each.
 */
export interface ImageDescription {
  /** How the user names the image: a tag (`app:1`), a registry reference, or the input path. */
  readonly ref: string;
  /** Manifest digest (registry, OCI) or image id = config digest (docker save). */
  readonly digest?: string;
  /** The image config JSON as found (parsed); read defensively, it is untrusted input. */
  readonly config: ImageConfigJson;
  readonly layers: readonly LayerDescriptor[];
}

export interface LayerDescriptor {
  /** 0-based, bottom layer first. */
  readonly index: number;
  /** Where the source finds the blob: an archive member name, a layout path, or a registry digest. */
  readonly location: string;
  /** The digest the manifest gives the blob (compressed for registries), when known. */
  readonly digest?: string;
  /** The digest of the uncompressed tar from the config's rootfs.diff_ids, when known. */
  readonly diffId?: string;
  /** The `created_by` of the history entry that made this layer. */
  readonly createdBy?: string;
  /** Index of that entry in the config's history. */
  readonly historyIndex?: number;
}

/** The parts of an image config we read. Everything is optional: configs come from untrusted input. */
export interface ImageConfigJson {
  readonly config?: {
    readonly Env?: unknown;
    readonly Labels?: unknown;
    readonly Cmd?: unknown;
    readonly Entrypoint?: unknown;
  } | null;
  readonly rootfs?: { readonly diff_ids?: unknown } | null;
  readonly history?: unknown;
}

/** The name a layer is shown and cached under: its blob digest, else its diff id, else its location. */
export function layerName(layer: LayerDescriptor): string {
  return layer.digest ?? layer.diffId ?? layer.location;
}

/** The content identity a layer is deduplicated and cached by: the uncompressed digest when known. */
export function layerKey(layer: LayerDescriptor): string {
  return layer.diffId ?? layer.digest ?? layer.location;
}

/** Parses a JSON document, or undefined (the caller names the input in its warning/error). */
export function parseJson(data: Buffer | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The config's diff ids, in layer order. */
export function diffIds(config: ImageConfigJson): string[] {
  return stringArray(isRecord(config.rootfs) ? config.rootfs['diff_ids'] : undefined);
}

/**
 * The history entry of each layer: entries marked `empty_layer` (ENV, LABEL, ARG, ...) made no layer,
 * the others map to layers in order.
 */
export function layerHistory(config: ImageConfigJson): { readonly createdBy?: string; readonly historyIndex: number }[] {
  const history = Array.isArray(config.history) ? (config.history as unknown[]) : [];
  const out: { createdBy?: string; historyIndex: number }[] = [];
  history.forEach((entry, historyIndex) => {
    if (!isRecord(entry) || entry['empty_layer'] === true) return;
    const createdBy = entry['created_by'];
    out.push({ historyIndex, ...(typeof createdBy === 'string' ? { createdBy } : {}) });
  });
  return out;
}

/** Builds the layer list from member/blob locations plus what the config says about each layer. */
export function describeLayers(
  config: ImageConfigJson,
  layers: readonly { readonly location: string; readonly digest?: string }[],
): LayerDescriptor[] {
  const ids = diffIds(config);
  const history = layerHistory(config);
  return layers.map((layer, index) => {
    const diffId = ids[index];
    return {
      index,
      location: layer.location,
      ...(layer.digest === undefined ? {} : { digest: layer.digest }),
      ...(diffId === undefined ? {} : { diffId }),
      ...history[index],
    };
  });
}
