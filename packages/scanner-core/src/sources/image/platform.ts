import { UsageError } from '../../errors.js';
import { isRecord } from './image-description.js';

/** An OCI platform: `linux/amd64`, `linux/arm64/v8`. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** Parses `os/arch[/variant]` (the `--platform` syntax of docker and skopeo). */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (os === undefined || os === '' || architecture === undefined || architecture === '' || extra !== undefined) {
    throw new UsageError(`--platform ${text}: expected os/arch or os/arch/variant (e.g. linux/amd64)`);
  }
  return { os, architecture, ...(variant === undefined || variant === '' ? {} : { variant }) };
}

/** Whether an index entry's platform is the wanted one; a wanted variant must match when both name one. */
export function matchesPlatform(candidate: unknown, wanted: Platform): boolean {
  if (!isRecord(candidate)) return false;
  if (candidate['os'] !== wanted.os || candidate['architecture'] !== wanted.architecture) return false;
  const variant = candidate['variant'];
  return wanted.variant === undefined || typeof variant !== 'string' || variant === wanted.variant;
}

export function formatPlatform(p: Platform): string {
  return p.variant === undefined ? `${p.os}/${p.architecture}` : `${p.os}/${p.architecture}/${p.variant}`;
}
