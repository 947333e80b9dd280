import { ConfigError } from '../errors.js';
import type { Finding } from '../finding.js';
import type { FilterSummary, FindingFilter } from '../filters/finding-filter.js';
import type { BaselineSummary } from '../summary.js';
import { entryKey, isExpired, today, type Baseline, type BaselineEntry } from './baseline-file.js';

const STALE_LISTED = 20;

/**
 * Suppresses findings whose (rule, fingerprint, path) is in the baseline, unless the entry has expired.
 * Remembers which entries matched, so the summary can list stale ones and `baseline prune` can drop them.
 */
export class BaselineFilter implements FindingFilter {
  readonly name = 'baseline';
  readonly #path: string;
  readonly #entries: ReadonlyMap<string, BaselineEntry>;
  readonly #matched = new Set<string>();
  readonly #day: string;
  #suppressed = 0;

  /** `keyCheck` is that of the fingerprint key in use: a baseline made with another key cannot match. */
  constructor(baseline: Baseline, path: string, keyCheck: string, now: number = Date.now()) {
    if (baseline.entries.length > 0 && baseline.keyCheck !== keyCheck) {
      throw new ConfigError([
        `${path}: the baseline was made with a different fingerprint key (LEAKGUARD_FINGERPRINT_KEY); none of its entries can match. Re-create it with the key in use.`,
      ]);
    }
    this.#path = path;
    this.#entries = new Map(baseline.entries.map((e) => [entryKey(e.rule, e.fingerprint, e.path), e]));
    this.#day = today(now);
  }

  keep(finding: Finding): boolean {
    const key = entryKey(finding.rule.id, finding.fingerprint, finding.origin.path);
    const entry = this.#entries.get(key);
    if (entry === undefined) return true;
    this.#matched.add(key);
    if (isExpired(entry, this.#day)) return true;
    this.#suppressed++;
    return false;
  }

  /** Entries that matched at least one finding in this scan (what `baseline prune` keeps). */
  matchedEntries(): BaselineEntry[] {
    return [...this.#entries].filter(([key]) => this.#matched.has(key)).map(([, entry]) => entry);
  }

  summarize(): FilterSummary {
    const stale = [...this.#entries].filter(([key]) => !this.#matched.has(key)).map(([, e]) => e);
    const baseline: BaselineSummary = {
      path: this.#path,
      entries: this.#entries.size,
      suppressed: this.#suppressed,
      expired: [...this.#entries.values()].filter((e) => isExpired(e, this.#day)).length,
      stale: stale.length,
      staleEntries: stale.slice(0, STALE_LISTED).map((e) => ({ rule: e.rule, path: e.path })),
    };
    return { baseline };
  }
}
