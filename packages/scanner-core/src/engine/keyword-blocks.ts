/**
 * Where a chunk's rule keywords occur, block by block: which rules are candidates at all, and near which
 * bytes. A rule whose matches hold a keyword and are at most L bytes long can only match within L bytes of
 * a block where its keyword occurs, so the engine runs it there instead of over the whole chunk: most
 * vendor keywords (`segment`, `travis`, `eyJ`) occur a few times in a file, not in every block.
 */
export class KeywordBlocks {
  readonly blockSize: number;
  readonly #starts: ReadonlyMap<number, readonly number[]>;

  /** `starts`: rule index → ascending start offsets of the blocks where one of its keywords begins. */
  constructor(blockSize: number, starts: ReadonlyMap<number, readonly number[]>) {
    this.blockSize = blockSize;
    this.#starts = starts;
  }

  /** Indices of the rules with a keyword anywhere, ascending. */
  rules(): number[] {
    return [...this.#starts.keys()].sort((a, b) => a - b);
  }

  /** Whether one of the rule's keywords begins in data[from, to). */
  occursIn(rule: number, from: number, to: number): boolean {
    const starts = this.#starts.get(rule);
    if (starts === undefined) return false;
    const first = lowerBound(starts, from - this.blockSize + 1);
    return first < starts.length && (starts[first] ?? Number.POSITIVE_INFINITY) < to;
  }

  /**
   * The byte ranges within [from, to) that lie within `reach` bytes of a block holding one of the rule's
   * keywords, merged and ascending. A match holding a keyword and no longer than `reach` lies in one of them.
   * `widen` may move each range's edges outward (never inward) before the merge, e.g. to line boundaries.
   */
  regions(rule: number, from: number, to: number, reach: number, widen: Widen = unchanged): [number, number][] {
    const out: [number, number][] = [];
    for (const start of this.#starts.get(rule) ?? []) {
      const [wideLo, wideHi] = widen(start - reach, start + this.blockSize + reach);
      const lo = Math.max(from, wideLo);
      const hi = Math.min(to, wideHi);
      if (lo >= hi) continue;
      const last = out[out.length - 1];
      if (last !== undefined && lo <= last[1]) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return out;
  }
}

/** Moves a range's edges outward (see KeywordBlocks.regions). */
export type Widen = (lo: number, hi: number) => readonly [number, number];

const unchanged: Widen = (lo, hi) => [lo, hi];

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
