import type { Chunk } from '../../chunk.js';
import type { Origin } from '../../origin.js';
import { bufferChunks } from '../read-item.js';
import type { SourceContext } from '../source.js';
import type { DockerfileMap } from './dockerfile-map.js';
import { isRecord, stringArray, type ImageDescription } from './image-description.js';

/** One scannable text of an image config and the path reports name it by. */
export interface ConfigItem {
  readonly path: string;
  readonly text: string;
  /** The Dockerfile line this text came from, when a --dockerfile map is given. */
  readonly dockerfileLine?: number;
}

/**
 * The texts of an image config where credentials leak without being in any layer: `Env` (`KEY=value`,
 * often from `ENV TOKEN=...`), `Labels`, `Cmd`/`Entrypoint`, and `history[].created_by`, which records
 * every `RUN` line and the build args it used.
 */
export function configItems(image: ImageDescription, dockerfile?: DockerfileMap): ConfigItem[] {
  const items: ConfigItem[] = [];
  const inner = isRecord(image.config.config) ? image.config.config : {};
  stringArray(inner['Env']).forEach((text, i) => {
    const line = dockerfile?.env.get(text.split('=')[0] ?? '');
    items.push({ path: `config:Env[${i}]`, text, ...(line === undefined ? {} : { dockerfileLine: line }) });
  });
  if (isRecord(inner['Labels'])) {
    for (const [key, value] of Object.entries(inner['Labels'])) {
      if (typeof value === 'string') items.push({ path: `config:Labels[${JSON.stringify(key)}]`, text: `${key}=${value}` });
    }
  }
  for (const field of ['Entrypoint', 'Cmd'] as const) {
    const words = stringArray(inner[field]);
    if (words.length > 0) items.push({ path: `config:${field}`, text: words.join(' ') });
  }
  const history = Array.isArray(image.config.history) ? (image.config.history as unknown[]) : [];
  history.forEach((entry, i) => {
    if (isRecord(entry) && typeof entry['created_by'] === 'string') {
      const line = dockerfile?.history.get(i);
      items.push({ path: `config:history[${i}].created_by`, text: entry['created_by'], ...(line === undefined ? {} : { dockerfileLine: line }) });
    }
  });
  return items;
}

/** Chunks for every config text, each with an `image-config` origin. */
export async function* configChunks(
  image: ImageDescription,
  context: SourceContext,
  dockerfile?: { readonly path: string; readonly map: DockerfileMap },
): AsyncGenerator<Chunk> {
  for (const item of configItems(image, dockerfile?.map)) {
    const origin: Origin = {
      kind: 'image-config',
      path: item.path,
      image: image.ref,
      ...(image.digest === undefined ? {} : { imageDigest: image.digest }),
      ...(item.dockerfileLine === undefined || dockerfile === undefined ? {} : { dockerfile: dockerfile.path, dockerfileLine: item.dockerfileLine }),
    };
    yield* bufferChunks(Buffer.from(item.text, 'utf8'), origin, context);
  }
}
