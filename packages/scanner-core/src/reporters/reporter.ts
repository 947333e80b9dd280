import type { Writable } from 'node:stream';
import type { Finding } from '../finding.js';
import type { RunInfo, ScanSummary } from '../summary.js';

/** Writes findings in one format to the stream it was made with. */
export interface Reporter {
  onStart?(run: RunInfo): Promise<void> | void;
  onFinding(finding: Finding): Promise<void> | void;
  onEnd(summary: ScanSummary): Promise<void> | void;
}

export interface ReporterOptions {
  readonly color?: boolean;
  /**
   * Text and JSON: report one secret found at many places once, with its places (default true). Grouped
   * output is written when the scan ends (memory bounded, see FindingGrouper); false streams each place.
   */
  readonly group?: boolean;
}

export type ReporterFactory = (out: Writable, options: ReporterOptions) => Reporter;
