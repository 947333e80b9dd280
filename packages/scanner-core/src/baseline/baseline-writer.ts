import { writeFile } from 'node:fs/promises';
import type { Finding } from '../finding.js';
import type { Reporter } from '../reporters/reporter.js';
import type { ScanSummary } from '../summary.js';
import { entryKey, formatBaseline, type Baseline, type BaselineEntry } from './baseline-file.js';

/**
 * A reporter that writes the findings of a scan as a baseline (`leakguard baseline create`). The `reason`
 * and `expires` a person wrote on entries of the previous file are carried over for entries still found.
 */
export class BaselineWriter implements Reporter {
  readonly #path: string;
  readonly #keyCheck: string;
  readonly #previous: ReadonlyMap<string, BaselineEntry>;
  readonly #entries = new Map<string, BaselineEntry>();

  constructor(path: string, keyCheck: string, previous?: Baseline) {
    this.#path = path;
    this.#keyCheck = keyCheck;
    this.#previous = new Map((previous?.entries ?? []).map((e) => [entryKey(e.rule, e.fingerprint, e.path), e]));
  }

  get size(): number {
    return this.#entries.size;
  }

  onFinding(finding: Finding): void {
    const path = finding.origin.path.replace(/^\.\//, '');
    const key = entryKey(finding.rule.id, finding.fingerprint, path);
    if (this.#entries.has(key)) return;
    const old = this.#previous.get(key);
    this.#entries.set(key, {
      path,
      rule: finding.rule.id,
      fingerprint: finding.fingerprint,
      ...(old?.reason === undefined ? {} : { reason: old.reason }),
      ...(old?.expires === undefined ? {} : { expires: old.expires }),
    });
  }

  /** A partial (interrupted) scan writes nothing: a baseline of half the findings would hide nothing new. */
  async onEnd(summary: ScanSummary): Promise<void> {
    if (summary.partial) return;
    await writeFile(this.#path, formatBaseline({ keyCheck: this.#keyCheck, entries: [...this.#entries.values()] }));
  }
}

/** Writes a baseline file (used by `baseline prune` with the entries that still matched). */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await writeFile(path, formatBaseline(baseline));
}
