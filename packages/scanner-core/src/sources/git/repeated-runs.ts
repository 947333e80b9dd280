/**
 * The runs of `next` that repeat `prior` (the previous version of the same file), as `[at, priorAt, length]`
 * triples ascending in both: a common head and tail, and between them, after each difference, a resync on
 * the first following line that `prior` holds a little further on. Byte comparisons and searches are
 * Buffer's native ones, so this costs a small fraction of matching the bytes. Not a minimal diff: a change
 * it cannot resync after leaves the rest unrepeated (matched again), never the reverse.
 */
export function repeatedRuns(next: Buffer, prior: Buffer): number[] {
  const runs: number[] = [];
  const tail = commonSuffix(next, prior, Math.min(next.length, prior.length));
  const nextEnd = next.length - tail;
  const priorEnd = prior.length - tail;
  let i = 0;
  let j = 0;
  while (i < nextEnd && j < priorEnd) {
    const same = commonPrefix(next, i, prior, j, Math.min(nextEnd - i, priorEnd - j));
    if (same > 0 && (same >= MIN_RUN || (i === 0 && j === 0))) runs.push(i, j, same);
    i += same;
    j += same;
    const resync = findResync(next, i, nextEnd, prior, j, priorEnd);
    if (resync === undefined) break;
    [i, j] = resync;
  }
  // Runs above end by nextEnd and priorEnd, where the common tail begins.
  if (tail > 0) runs.push(nextEnd, priorEnd, tail);
  return runs;
}

/** Where both versions continue alike after a difference at (i, j), or undefined when none is found nearby. */
function findResync(next: Buffer, i: number, nextEnd: number, prior: Buffer, j: number, priorEnd: number): [number, number] | undefined {
  let at = i;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const nl = next.indexOf(10, at);
    if (nl === -1 || nl + 1 >= nextEnd || nl + 1 - i > MAX_SKIP) return undefined;
    at = nl + 1;
    const probe = next.subarray(at, Math.min(nextEnd, at + PROBE));
    if (probe.length < MIN_PROBE) continue;
    const window = prior.subarray(j, Math.min(priorEnd, j + MAX_SKIP + PROBE));
    const found = window.indexOf(probe);
    if (found === -1) continue;
    const priorAt = j + found;
    if (commonPrefix(next, at, prior, priorAt, Math.min(nextEnd - at, priorEnd - priorAt, MIN_RUN)) >= Math.min(MIN_RUN, nextEnd - at)) return [at, priorAt];
  }
  return undefined;
}

/** Length of the common prefix of a[ai…] and b[bi…], at most `limit`. */
function commonPrefix(a: Buffer, ai: number, b: Buffer, bi: number, limit: number): number {
  return sameLength(limit, (n, step) => a.compare(b, bi + n, bi + n + step, ai + n, ai + n + step) === 0, (n) => a[ai + n] === b[bi + n]);
}

/** Length of the common suffix of a and b, at most `limit`. */
function commonSuffix(a: Buffer, b: Buffer, limit: number): number {
  const blockEqual = (n: number, step: number): boolean => a.compare(b, b.length - n - step, b.length - n, a.length - n - step, a.length - n) === 0;
  return sameLength(limit, blockEqual, (n) => a[a.length - 1 - n] === b[b.length - 1 - n]);
}

/**
 * How many bytes (at most `limit`) are alike, given a native compare of `step` bytes after the first `n`
 * and a byte check: blocks double while equal and halve after a difference, so a long run costs a few
 * native calls, not one per block.
 */
function sameLength(limit: number, blockEqual: (n: number, step: number) => boolean, byteEqual: (n: number) => boolean): number {
  let n = 0;
  let step = BLOCK;
  while (step >= BLOCK) {
    if (n + step <= limit && blockEqual(n, step)) {
      n += step;
      if (step < MAX_BLOCK) step *= 2;
    } else step = step >> 1;
  }
  while (n < limit && byteEqual(n)) n++;
  return n;
}

/** Runs shorter than this are not worth carrying findings over (they are matched again). */
const MIN_RUN = 256;
/** Bytes compared natively at a time: from this, doubling up to MAX_BLOCK. */
const BLOCK = 64;
const MAX_BLOCK = 1024 * 1024;
/** A resync probe: the start of a line, this long at most, at least MIN_PROBE (shorter lines are skipped). */
const PROBE = 96;
const MIN_PROBE = 24;
/** Lines tried after a difference, and how far either version may skip ahead, before giving up. */
const MAX_TRIES = 16;
const MAX_SKIP = 16 * 1024;
