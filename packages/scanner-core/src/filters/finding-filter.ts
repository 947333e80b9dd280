import type { Finding } from '../finding.js';
import type { BaselineSummary } from '../summary.js';

/** The bytes a finding was found in, for filters that look at its line (inline ignores). */
export interface FindingContext {
  readonly data: Buffer;
  /** Offset of data[0] in the whole object. */
  readonly offset: number;
}

/** What a filter adds to the scan summary when the scan ends. */
export interface FilterSummary {
  readonly baseline?: BaselineSummary;
}

/** Drops findings the user has said to allow. */
export interface FindingFilter {
  /** Dropped findings are counted in the summary's `suppressed` under this name. */
  readonly name?: string;
  keep(finding: Finding, context: FindingContext): boolean;
  /** Read once after the last finding. */
  summarize?(): FilterSummary;
}
