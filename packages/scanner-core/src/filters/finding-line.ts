import type { Finding } from '../finding.js';
import type { FindingContext } from './finding-filter.js';

/** A line longer than this (minified code, one-line JSON) is read only this far either side of the secret. */
const MAX_SIDE = 4096;

/**
 * The text of the line holding the finding's first byte, and of the line above it, read from the chunk
 * the finding came from. Bounded: never more than MAX_SIDE bytes either side, whatever the line length.
 * Undefined when the finding does not lie in the chunk (it then cannot be checked, and is kept).
 */
export function findingLines(finding: Finding, context: FindingContext): { line: string; previous: string | undefined } | undefined {
  const { data } = context;
  const at = finding.location.offset - context.offset;
  if (at < 0 || at > data.length) return undefined;
  const lineStart = at === 0 ? 0 : data.lastIndexOf(10, at - 1) + 1;
  const from = Math.max(lineStart, at - MAX_SIDE);
  let to = data.indexOf(10, at);
  if (to === -1) to = data.length;
  const line = data.toString('utf8', from, Math.min(to, at + MAX_SIDE));
  if (lineStart === 0) return { line, previous: undefined };
  const prevEnd = lineStart - 1;
  // Buffer#lastIndexOf counts a negative start from the end, so offset 0 is handled apart.
  const prevStart = prevEnd === 0 ? 0 : Math.max(data.lastIndexOf(10, prevEnd - 1) + 1, prevEnd - 2 * MAX_SIDE);
  return { line, previous: data.toString('utf8', prevStart, prevEnd) };
}
