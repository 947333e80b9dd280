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
}

/** What reporters learn before the first finding. */
export interface RunInfo {
  readonly tool: { readonly name: string; readonly version: string };
  readonly command: string;
  /** Directory that report paths are relative to. */
  readonly root: string;
  readonly rules: readonly import('./rules/rule.js').RuleInfo[];
}
