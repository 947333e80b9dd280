import type { Finding } from '../finding.js';

/** The bytes a finding was found in, for filters that look at its line (inline ignores). */
export interface FindingContext {
  readonly data: Buffer;
  /** Offset of data[0] in the whole object. */
  readonly offset: number;
}

/** Drops findings the user has said to allow. */
export interface FindingFilter {
  keep(finding: Finding, context: FindingContext): boolean;
}
