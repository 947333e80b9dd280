import { InputError } from '../../errors.js';
import { readDockerArchive } from './docker-archive.js';
import type { ImageDescription } from './image-description.js';
import type { ImageFiles } from './image-files.js';
import { readOciLayout } from './oci-layout.js';
import type { Platform } from './platform.js';

/**
 * The images in an archive or layout. `manifest.json` (docker/podman save) is preferred: Docker ≥ 25
 * writes both it and an OCI index.json, and only manifest.json carries the tags.
 */
export async function readImages(files: ImageFiles, input: string, platform?: Platform): Promise<ImageDescription[]> {
  const images = (await readDockerArchive(files, input)) ?? (await readOciLayout(files, input, platform));
  if (images === undefined) throw new InputError(`${input}: neither a docker-archive (manifest.json) nor an OCI layout (index.json)`);
  return images;
}
