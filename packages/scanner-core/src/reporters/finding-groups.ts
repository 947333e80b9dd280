import type { Finding } from '../finding.js';

/** One secret (rule + fingerprint) and the places it was found. */
export interface FindingGroup {
  /** The first place it was seen; its fields describe the group. */
  readonly first: Finding;
  /** Places in the order seen, the first included, at most `maxLocations`. */
  readonly locations: Finding[];
  /** Every place it was seen, including those beyond `maxLocations`. */
  occurrences: number;
}

export interface GroupingOptions {
  /** Places kept per secret; the rest are only counted (default 100). */
  readonly maxLocations?: number;
  /** Secrets held at once; beyond this the oldest group is written out early (default 50,000). */
  readonly maxGroups?: number;
}

/**
 * Groups findings of one secret so a token in 50 commits or 10,000 log lines is reported once with its
 * places. Memory is bounded: at most `maxGroups` groups of at most `maxLocations` places each. When more
 * distinct secrets than that arrive, the oldest group is handed to `flush` early; if its secret turns up
 * again afterwards it starts a new group (reported twice, never lost).
 */
export class FindingGrouper {
  readonly #groups = new Map<string, FindingGroup>();
  readonly #maxLocations: number;
  readonly #maxGroups: number;
  readonly #flush: (group: FindingGroup) => Promise<void>;

  constructor(flush: (group: FindingGroup) => Promise<void>, options: GroupingOptions = {}) {
    this.#flush = flush;
    this.#maxLocations = options.maxLocations ?? 100;
    this.#maxGroups = options.maxGroups ?? 50_000;
  }

  async add(finding: Finding): Promise<void> {
    const key = `${finding.rule.id}\0${finding.fingerprint}`;
    const group = this.#groups.get(key);
    if (group !== undefined) {
      group.occurrences++;
      if (group.locations.length < this.#maxLocations) group.locations.push(finding);
      return;
    }
    this.#groups.set(key, { first: finding, locations: [finding], occurrences: 1 });
    if (this.#groups.size > this.#maxGroups) {
      const [oldestKey, oldest] = this.#groups.entries().next().value as [string, FindingGroup];
      this.#groups.delete(oldestKey);
      await this.#flush(oldest);
    }
  }

  /** Writes out every remaining group, in the order their secrets were first seen. */
  async end(): Promise<void> {
    for (const group of this.#groups.values()) await this.#flush(group);
    this.#groups.clear();
  }
}
