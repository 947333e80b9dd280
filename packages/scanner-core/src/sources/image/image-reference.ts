import { UsageError } from '../../errors.js';

/** `registry/repository[:tag][@digest]`, split. */
export interface ImageReference {
  /** Host and optional port: `registry.example.com`, `127.0.0.1:5000`. */
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export const DOCKER_HUB = 'registry-1.docker.io';

/** Whether the first path component of a name is a registry host (has a dot or port, or is localhost). */
export function hasRegistryHost(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash === -1) return false;
  const first = name.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/**
 * Parses a reference the way docker does: no host means Docker Hub (`library/` for one-part names);
 * no tag and no digest means `latest`.
 */
export function parseReference(text: string): ImageReference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) throw new UsageError(`${text}: invalid digest (expected sha256:<hex>)`);
  }
  let registry = DOCKER_HUB;
  if (hasRegistryHost(rest)) {
    const slash = rest.indexOf('/');
    registry = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(rest)) {
    throw new UsageError(`${text}: invalid repository name "${rest}"`);
  }
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new UsageError(`${text}: invalid tag "${tag}"`);
  const repository = registry === DOCKER_HUB && !rest.includes('/') ? `library/${rest}` : rest;
  return { registry, repository, ...(digest === undefined ? { tag: tag ?? 'latest' } : { digest }), ...(digest !== undefined && tag !== undefined ? { tag } : {}) };
}

/** The manifest reference to ask for: the digest when given (it pins the content), else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
