import type * as Sarif from 'sarif';
import type { Origin } from '../origin.js';

/**
 * SARIF for findings inside container images. The physical location stays the path inside the image
 * (what code scanning shows and dedupes on); logical locations name the image and the layer, which have
 * no place in the repository: `app:1@sha256:…` (kind `module`) and `app:1@sha256:…/layers/2` (kind
 * `namespace`, decorated with the layer digest and its Dockerfile instruction).
 */
export function imageLogicalLocations(origin: Origin): { logicalLocations?: Sarif.LogicalLocation[] } {
  if (origin.kind !== 'image-layer' && origin.kind !== 'image-config') return {};
  const image = origin.imageDigest === undefined ? origin.image : `${origin.image}@${origin.imageDigest}`;
  const locations: Sarif.LogicalLocation[] = [{ name: origin.image, fullyQualifiedName: image, kind: 'module' }];
  if (origin.kind === 'image-layer') {
    locations.push({
      name: `layer ${origin.layerIndex}`,
      fullyQualifiedName: `${image}/layers/${origin.layerIndex}`,
      decoratedName: origin.createdBy === undefined ? origin.layer : `${origin.layer} ${origin.createdBy}`,
      kind: 'namespace',
    });
  } else {
    locations.push({ name: 'config', fullyQualifiedName: `${image}/config`, kind: 'namespace' });
  }
  return { logicalLocations: locations };
}

/** Added to the result message: where in the image, that a deleted file still ships in it, the Dockerfile line. */
export function imageMessageNote(origin: Origin): string {
  if (origin.kind !== 'image-config' && origin.kind !== 'image-layer') return '';
  const line = origin.dockerfileLine === undefined ? '' : `; from [Dockerfile line ${origin.dockerfileLine}](1)`;
  if (origin.kind === 'image-config') return ` (image ${origin.image}, ${origin.path}${line})`;
  const removed =
    origin.flag === 'removed-in-later-layer' ? `; deleted by layer ${origin.removedInLayerIndex ?? '?'} but still in the image` : '';
  return ` (image ${origin.image}, layer ${origin.layerIndex}${removed}${line})`;
}

/**
 * With `--dockerfile`: the instruction that put the secret in the image, as a related location in the
 * repository (the message links to it as `(1)`), while the primary location stays the path in the image.
 */
export function imageRelatedLocations(origin: Origin, uri: (path: string) => string, uriBaseId: string): { relatedLocations?: Sarif.Location[] } {
  if ((origin.kind !== 'image-config' && origin.kind !== 'image-layer') || origin.dockerfile === undefined || origin.dockerfileLine === undefined) return {};
  return {
    relatedLocations: [
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: uri(origin.dockerfile), uriBaseId }, region: { startLine: origin.dockerfileLine } },
        message: { text: 'the Dockerfile instruction that made this layer' },
      },
    ],
  };
}
