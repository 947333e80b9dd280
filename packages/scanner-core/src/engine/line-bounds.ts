/** How far a region edge moves to reach a line boundary; past that (minified code) it stays where it is. */
export const LINE_SNAP = 4096;

// Both search only within LINE_SNAP: on a minified line with no newline, an unbounded search ran to the
// chunk's edge for every region. The edges of the data count as line boundaries, so a window cut at a line
// boundary snaps to its own edges exactly as the whole data would (see DeltaMatcher).

/** The start of the line holding data[at], if it begins within LINE_SNAP bytes before; else `at`. */
export function lineStartNear(data: Buffer, at: number): number {
  if (at <= 0) return 0;
  const from = Math.max(0, at - LINE_SNAP);
  const nl = data.subarray(from, at).lastIndexOf(10);
  if (nl !== -1) return from + nl + 1;
  return from === 0 ? 0 : at;
}

/** The end (the newline) of the line holding data[at], if within LINE_SNAP bytes after; else `at`. */
export function lineEndNear(data: Buffer, at: number): number {
  if (at >= data.length) return data.length;
  const to = Math.min(data.length, at + LINE_SNAP + 1);
  const nl = data.subarray(at, to).indexOf(10);
  if (nl !== -1) return at + nl;
  return to === data.length ? data.length : at;
}
