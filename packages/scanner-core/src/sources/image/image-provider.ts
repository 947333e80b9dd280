import type { SourceContext } from '../source.js';
import type { ImageDescription, LayerDescriptor } from './image-description.js';
import type { Platform } from './platform.js';

/** Images whose layers can be read in any order (archive on disk, OCI directory, registry). */
export interface RandomAccessImages {
  readonly kind: 'random';
  readonly images: readonly ImageDescription[];
  /** The layer's blob as stored (possibly compressed). */
  openLayer(image: ImageDescription, layer: LayerDescriptor): Promise<AsyncIterable<Buffer>>;
  close(): Promise<void>;
  /** Layers come over the network (a registry): their digests are always checked. */
  readonly remote?: boolean;
}

/**
 * An archive that can only be read front to back (the daemon's export, a gzip'd tarball). It is read
 * twice: once for manifests and whiteouts, once to scan; it is never written anywhere.
 */
export interface StreamedArchive {
  readonly kind: 'stream';
  /** Opens the (uncompressed) tar stream from the start; called once per pass. */
  open(): Promise<AsyncIterable<Buffer>>;
  /** Which manifest of a multi-platform OCI index to read. */
  readonly platform?: Platform;
}

export type ImageAccess = RandomAccessImages | StreamedArchive;

/** Where images come from. `open` throws InputError (one line naming the input) when it cannot be read. */
export interface ImageProvider {
  /** The input as the user named it (path, image name, registry reference). */
  readonly input: string;
  open(context: SourceContext): Promise<ImageAccess>;
}
