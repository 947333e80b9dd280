import type { Chunk, ChunkBase } from './chunk.js';
import { FOCUS_REACH, focusWindow, withContextKeywords, type Engine, type MatchedFindings } from './engine/engine.js';
import { PositionIndex } from './engine/position-index.js';
import type { ChunkMatcher } from './engine/worker-pool.js';
import type { Finding } from './finding.js';

/**
 * Matches a chunk that repeats most of an earlier chunk (the next version of a file in git history) only
 * near the bytes that changed, and takes the earlier chunk's findings in the repeated bytes over at their new
 * positions. Most of a long history's bytes are files rewritten with a few lines changed (lockfiles,
 * snapshots): those bytes were matched once already.
 *
 * The result is the one a whole pass gives as long as a match that starts in unchanged bytes and reaches into
 * a change starts within OWN_MARGIN of it (a match starting in a change is seen up to FOCUS_REACH past the
 * change's margin); a rule whose keyword is file-wide context is always judged over the whole chunk (see
 * Engine), and when an earlier finding reaches from repeated bytes into a change the chunk is matched whole.
 */
export class DeltaMatcher implements ChunkMatcher {
  readonly #inner: ChunkMatcher;
  readonly #engine: Engine;
  /** Results of keyed chunks not yet used as a base, oldest first (a promise until settled); at most MAX_KEPT. */
  readonly #kept = new Map<string, Matched | Promise<Matched | undefined>>();

  constructor(inner: ChunkMatcher, engine: Engine) {
    this.#inner = inner;
    this.#engine = engine;
  }

  match(chunk: Chunk): MatchedFindings | Promise<MatchedFindings> {
    const { key, base } = chunk;
    const earlier = base === undefined ? undefined : this.#kept.get(base.key);
    if (base !== undefined) this.#kept.delete(base.key);
    const result = earlier === undefined || base === undefined ? this.#inner.match(chunk) : this.#matchDelta(chunk, base, earlier);
    if (key !== undefined) {
      if (this.#kept.size >= MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value ?? '');
      const length = chunk.data.length;
      const kept: Promise<Matched | undefined> = Promise.resolve(result).then(
        (findings) => {
          const matched = { findings, length, contextKeywords: findings.contextKeywords ?? true };
          if (this.#kept.get(key) === kept) this.#kept.set(key, matched);
          return matched;
        },
        () => undefined,
      );
      this.#kept.set(key, kept);
    }
    return result;
  }

  close(): Promise<void> {
    this.#kept.clear();
    return this.#inner.close();
  }

  async #matchDelta(chunk: Chunk, base: ChunkBase, earlier: Matched | Promise<Matched | undefined>): Promise<MatchedFindings> {
    const focus = changedRanges(chunk, base);
    if (focus === undefined) return this.#inner.match(chunk);
    // Unless the earlier chunk is known to hold a keyword of a file-context rule, the windows go out at once,
    // on the bet (right for most files) that it holds none; its result, needed to merge, is usually back by
    // the time they are.
    const windows = !(earlier instanceof Promise) && earlier.contextKeywords ? undefined : Promise.all(focus.map((range) => this.#inner.match(windowChunk(chunk, range))));
    const before = await earlier;
    const carried = before === undefined || before.length !== base.length ? undefined : carriedFindings(before.findings, base, focus, this.#engine);
    if (before === undefined || carried === undefined) {
      await windows?.catch(() => undefined);
      return this.#inner.match(chunk);
    }
    const parts = await windows;
    let fresh: Finding[];
    let contextKeywords = false;
    if (parts !== undefined && !before.contextKeywords && parts.every((p) => p.contextKeywords === false)) fresh = parts.flat();
    else {
      // A file-context keyword somewhere: those rules need the whole chunk (any windows' findings are redone).
      const whole = await this.#inner.match({ ...chunk, focus: { ranges: focus, contextFree: !before.contextKeywords } });
      fresh = whole;
      contextKeywords = whole.contextKeywords ?? true;
    }
    const kept = carried.filter((c) => !fresh.some((f) => f.location.offset < c.location.endOffset && c.location.offset < f.location.endOffset));
    const merged = [...kept, ...fresh].sort((x, y) => x.location.offset - y.location.offset || x.rule.id.localeCompare(y.rule.id));
    return withContextKeywords(positioned(merged, chunk, this.#engine), contextKeywords);
  }
}

/**
 * The part of a whole-object chunk the engine reads for one focus range (see focusWindow), as a chunk of its
 * own with whole-object offsets: cut at those line boundaries, the engine widens the range to exactly its
 * edges. Lines and columns are placeholders: `positioned` sets them.
 */
function windowChunk(chunk: Chunk, [from, to]: readonly [number, number]): Chunk {
  const [lo, hi] = focusWindow(chunk.data, from, to);
  const data = chunk.data.subarray(lo, hi);
  return { data, origin: chunk.origin, offset: lo, line: 1, column: 1, ownedStart: 0, ownedEnd: data.length, focus: { ranges: [[from - lo, to - lo]], contextFree: true } };
}

/** The findings with lines, columns and location fingerprints for this chunk (one forward pass over it). */
function positioned(findings: readonly Finding[], chunk: Chunk, engine: Engine): Finding[] {
  const offsets = [...new Set(findings.flatMap((f) => [f.location.offset, f.location.endOffset]))].sort((a, b) => a - b);
  const positions = new PositionIndex(chunk.data, chunk.line, chunk.column);
  const at = new Map(offsets.map((offset) => [offset, positions.positionOf(offset - chunk.offset)]));
  return findings.map((f) => {
    const from = at.get(f.location.offset) ?? { line: f.location.line, column: f.location.column };
    const to = at.get(f.location.endOffset) ?? { line: f.location.endLine, column: f.location.endColumn };
    const location = { ...f.location, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
    return engine.relocate({ ...f, origin: chunk.origin, location }, chunk.origin);
  });
}

interface Matched {
  readonly findings: readonly Finding[];
  readonly length: number;
  /** Whether a keyword of a file-context rule occurs in the chunk (true when not known). */
  readonly contextKeywords: boolean;
}

/**
 * The ranges to match again: the bytes between repeated runs, each widened by OWN_MARGIN, merged where the
 * windows the engine reads around them (FOCUS_REACH on each side) would meet anyway. Undefined when those
 * windows would cover most of the chunk: matching it whole is then simpler and as fast.
 */
function changedRanges(chunk: Chunk, base: ChunkBase): [number, number][] | undefined {
  const length = chunk.data.length;
  const ranges: [number, number][] = [];
  const addChange = (from: number, to: number): void => {
    const lo = Math.max(0, from - OWN_MARGIN);
    const hi = Math.min(length, to + OWN_MARGIN);
    const last = ranges[ranges.length - 1];
    if (last !== undefined && lo <= last[1] + 2 * FOCUS_REACH) last[1] = Math.max(last[1], hi);
    else ranges.push([lo, hi]);
  };
  let at = 0;
  for (let i = 0; i < base.same.length; i += 3) {
    const runAt = base.same[i] ?? 0;
    if (runAt > at) addChange(at, runAt);
    at = runAt + (base.same[i + 2] ?? 0);
  }
  if (at < length) addChange(at, length);
  const read = ranges.reduce((n, [from, to]) => n + Math.min(length, to + FOCUS_REACH) - Math.max(0, from - FOCUS_REACH), 0);
  return read > MAX_READ_SHARE * length ? undefined : ranges;
}

/**
 * The earlier chunk's findings that lie in repeated bytes and start outside every range, at their new
 * offsets; those that start in a range are found again there, and those in bytes that changed are gone.
 * Undefined (match the chunk whole) when one starts in repeated bytes away from every range and still
 * reaches into a change: a match that long could also begin before a range in this chunk.
 */
function carriedFindings(findings: readonly Finding[], base: ChunkBase, ranges: readonly (readonly [number, number])[], engine: Engine): Finding[] | undefined {
  const carried: Finding[] = [];
  const same = base.same;
  let run = 0;
  for (const finding of findings) {
    if (engine.isContextRule(finding.rule.id)) continue; // looked for again over the whole chunk
    const { offset, endOffset } = finding.location;
    while (run < same.length && (same[run + 1] ?? 0) + (same[run + 2] ?? 0) <= offset) run += 3;
    const baseAt = same[run + 1] ?? 0;
    if (run >= same.length || offset < baseAt) continue; // it began in bytes that changed
    const start = (same[run] ?? 0) + offset - baseAt;
    if (ranges.some(([from, to]) => start >= from && start < to)) continue;
    if (endOffset > baseAt + (same[run + 2] ?? 0)) return undefined;
    carried.push(moved(finding, start, start + endOffset - offset));
  }
  return carried;
}

/** The finding at new offsets (lines and columns are set by `positioned`). */
function moved(finding: Finding, offset: number, endOffset: number): Finding {
  return { ...finding, location: { ...finding.location, offset, endOffset } };
}

/**
 * Bytes on each side of a change where matches are looked for again: a match that starts further away and
 * still reaches the change is longer than this (private-key blocks, the longest usual matches, are ~3 KB).
 */
const OWN_MARGIN = 1024;

/** Above this share of the chunk to read again, it is matched whole. */
const MAX_READ_SHARE = 0.5;

/** Earlier results kept for later chunks at most (each a few numbers and its findings). */
const MAX_KEPT = 100_000;
