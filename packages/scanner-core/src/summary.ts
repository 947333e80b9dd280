import type { ScanWarning } from './sources/source.js';

/** What a scan did, for every reporter's footer and the exit code. */
export interface ScanSummary {
  readonly findings: number;
  /** Items (files, blobs, layer entries) handed whole to the engine. */
  readonly itemsScanned: number;
  readonly bytesScanned: number;
  /** Items deliberately not scanned, counted by reason (binary, symlink, ...). */
  readonly skipped: Readonly<Record<string, number>>;
  readonly warnings: readonly ScanWarning[];
  readonly rulesLoaded: number;
  readonly durationMs: number;
  /** True when the scan stopped early (signal); the report covers only what was read. */
  readonly partial: boolean;
  /** Findings dropped by filters, by filter name (`allowlist`, `inline-ignore`, `baseline`). */
  readonly suppressed?: Readonly<Record<string, number>>;
  /** With `--baseline`: what the baseline matched, and its stale and expired entries. */
  readonly baseline?: BaselineSummary;
  /** Decoding of base64/hex/URL/escaped text: bytes decoded, and chunks that hit the per-chunk budget. */
  readonly decoding?: { readonly decodedBytes: number; readonly budgetExhausted: number };
}

/** A baseline's effect on one scan. Stale entries matched nothing this scan saw (`baseline prune` drops them). */
export interface BaselineSummary {
  readonly path: string;
  readonly entries: number;
  /** Findings (locations) the baseline suppressed. */
  readonly suppressed: number;
  /** Entries past their `expires` date; their findings are reported again. */
  readonly expired: number;
  readonly stale: number;
  /** The first stale entries (rule and path; never a value). */
  readonly staleEntries: readonly { readonly rule: string; readonly path: string }[];
}

/** What reporters learn before the first finding. */
export interface RunInfo {
  readonly tool: { readonly name: string; readonly version: string };
  readonly command: string;
  /** Directory that report paths are relative to. */
  readonly root: string;
  readonly rules: readonly import('./rules/rule.js').RuleInfo[];
}
