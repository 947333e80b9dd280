import type { Finding, Location } from '../../finding.js';
import type { Origin } from '../../origin.js';

interface Seen {
  readonly first: Finding;
  count: number;
  lastOrigin: Origin;
  lastLocation: Location;
}

/**
 * Folds repeated occurrences of the same secret (rule + fingerprint) into one finding: the first
 * occurrence, with the count and the last location added to its origin. Memory grows with the number of
 * distinct secrets, not with occurrences, so a token logged on every request stays one entry.
 */
export class OccurrenceAggregator {
  readonly #seen = new Map<string, Seen>();

  add(finding: Finding): void {
    const key = `${finding.rule.id}\0${finding.fingerprint}`;
    const seen = this.#seen.get(key);
    if (seen === undefined) {
      this.#seen.set(key, { first: finding, count: 1, lastOrigin: finding.origin, lastLocation: finding.location });
      return;
    }
    seen.count++;
    seen.lastOrigin = finding.origin;
    seen.lastLocation = finding.location;
  }

  get size(): number {
    return this.#seen.size;
  }

  /** One finding per distinct secret, in order of first occurrence. */
  *findings(): Generator<Finding> {
    for (const { first, count, lastOrigin, lastLocation } of this.#seen.values()) {
      if (count === 1 || first.origin.kind !== 'log') {
        yield first;
        continue;
      }
      const lastTimestamp = lastOrigin.kind === 'log' ? lastOrigin.timestamp : undefined;
      yield {
        ...first,
        origin: {
          ...first.origin,
          occurrences: count,
          lastPath: lastOrigin.path,
          lastLine: lastLocation.line,
          lastColumn: lastLocation.column,
          lastOffset: lastLocation.offset,
          ...(lastTimestamp === undefined ? {} : { lastTimestamp }),
        },
      };
    }
  }
}
