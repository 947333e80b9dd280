import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { ArchiveProvider } from './archive-provider.js';
import { DaemonProvider } from './daemon-provider.js';
import type { ImageProvider } from './image-provider.js';
import type { Platform } from './platform.js';
import { RegistryProvider, type RegistryProviderOptions } from './registry-provider.js';

export const IMAGE_INPUT_KINDS = ['tar', 'oci', 'daemon', 'registry'] as const;
export type ImageInputKind = (typeof IMAGE_INPUT_KINDS)[number];

export interface ImageInputOptions {
  /** Forces the kind (`--from`); otherwise it is detected. */
  readonly from?: ImageInputKind;
  readonly cwd: string;
  readonly platform?: Platform;
  readonly dockerHost?: string;
  readonly registry?: RegistryProviderOptions;
  readonly maxDecompressionRatio?: number;
}

/**
 * Where an image argument points, in this order unless `--from` says: an existing file (docker save /
 * OCI archive) or directory (OCI layout); a name the Docker daemon knows (so a freshly built image is
 * scanned before it is pushed); else a registry reference.
 */
export async function imageProvider(argument: string, options: ImageInputOptions): Promise<ImageProvider> {
  const path = resolve(options.cwd, argument);
  const archive = (): ArchiveProvider =>
    new ArchiveProvider(path, argument, {
      ...(options.platform === undefined ? {} : { platform: options.platform }),
      ...(options.maxDecompressionRatio === undefined ? {} : { maxDecompressionRatio: options.maxDecompressionRatio }),
    });
  const daemon = (): DaemonProvider => new DaemonProvider(argument, options.dockerHost === undefined ? {} : { dockerHost: options.dockerHost });
  const registry = (): RegistryProvider =>
    new RegistryProvider(argument, { ...options.registry, ...(options.platform === undefined ? {} : { platform: options.platform }) });
  switch (options.from) {
    case 'tar':
    case 'oci':
      return archive();
    case 'daemon':
      return daemon();
    case 'registry':
      return registry();
    case undefined:
      break;
    default:
      return options.from satisfies never;
  }
  if (await exists(path)) return archive();
  if (/^\.{0,2}\//.test(argument) || /\.(tar|tgz|tar\.gz|tar\.zst)$/.test(argument)) {
    throw new InputError(`${argument}: no such file or directory`);
  }
  const local = daemon();
  if (await local.knows()) return local;
  return registry();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
