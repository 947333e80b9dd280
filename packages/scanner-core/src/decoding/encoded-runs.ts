import RE2 from 're2';
import type { DecodedRun } from './decoded-run.js';
import { decodeEscapes, decodePercent } from './escape-decoders.js';
import { decodeBase64, decodeHex } from './radix-decoders.js';
import { radixSegments, segmentRuns } from './radix-segments.js';

/**
 * Candidate runs are found with RE2 on the Buffer (byte offsets, linear time; never a JS RegExp over a
 * chunk), in as few passes as possible, because a character-class pattern runs at DFA speed (~250 MB/s
 * here) while a literal-led one is memchr-fast:
 * - base64 and hex share ONE pass. Both patterns accept only runs that can decode to ASCII text, so RE2
 *   itself rejects nearly every identifier, hash and blob (measured on 19 MB of JS: 218k → 7.6k matches):
 *   base64 groups of 4 start with a character of value < 32 (`A`–`Z`, `a`–`f`: an ASCII byte's top bit is
 *   0), at least 4 groups; hex bytes have a high digit 2–7 (printable ASCII), at least 8 bytes. A run must
 *   follow a non-alphabet byte or the line start, where group alignment begins. The two cannot start at
 *   the same byte (a base64 group never starts with a digit, ASCII hex always does). The pattern runs only
 *   on the stretches that can hold a run (radix-segments.ts; there JS finds what it would, unless the
 *   stretch follows a non-ASCII character), or, in text dense with them, in one pass.
 * - URL and string escapes: RE2 finds one escape (`%3A`, `\u0067`: literal-led, fast), then the run
 *   around it is walked in JS up to the next delimiter, and the search resumes after the run.
 */
const QUAD = '[A-Za-f][A-Za-z0-9+/_-]{3}';
/** A base64 or hex run of ASCII text after its delimiter (exported for the windows' test). */
export const RADIX_RUN_PATTERN = `(?:^|[^A-Za-z0-9+/_-])${QUAD}${QUAD}${QUAD}${QUAD}[A-Za-z0-9+/_-]*|(?:^|[^0-9A-Za-z])(?:[2-7][0-9a-fA-F]){8,}`;
const RADIX_RUN = new RE2(RADIX_RUN_PATTERN, 'gm');
const PERCENT_ESCAPE = new RE2('%[0-9A-Fa-f]{2}', 'g');
const STRING_ESCAPE = new RE2('\\\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})', 'g');
const MIN_RUN = 16;
const EQUALS = 0x3d;
/** Longest run walked around one escape; longer escaped text is decoded in pieces. */
const MAX_ESCAPED_RUN = 256 * 1024;

/** Shared by every decode in one chunk: decoded bytes left, and how many cheap probes remain. */
export interface DecodeBudget {
  bytes: number;
  probes: number;
  exhausted: boolean;
}

type Decoder = (data: Buffer, start: number, end: number, maxBytes: number) => DecodedRun | undefined;

/** Every encoded run starting in data[from, to) that decodes to text: base64/hex, then URL, then escapes. */
export function* encodedRuns(data: Buffer, from: number, to: number, budget: DecodeBudget): Generator<DecodedRun> {
  yield* radixRuns(data, from, to, budget);
  // Most chunks hold no `%`, or no `\u`/`\x` (JSON logs escape `/` on every line): memchr says so for far less
  // than an RE2 pass each. Looked for up to the end of the data, not of the owned bytes: a run that starts in
  // them may have its first escape after them (and the chunk after it leaves the run to this one).
  if (data.indexOf(0x25, from) !== -1) yield* escapedRuns(PERCENT_ESCAPE, isPercentRunByte, decodePercent, data, from, to, budget);
  if (data.indexOf('\\u', from) !== -1 || data.indexOf('\\x', from) !== -1) yield* escapedRuns(STRING_ESCAPE, isStringRunByte, decodeEscapes, data, from, to, budget);
}

function* radixRuns(data: Buffer, from: number, to: number, budget: DecodeBudget): Generator<DecodedRun> {
  for (const place of radixSegments(data, from, to)) {
    if (place.kind === 'dense') {
      yield* patternRuns(data, 0, data.length, place.resumeAt, from, to, budget);
      return;
    }
    // radixSegments(…, to) returns no segment that starts at or after `to`.
    const runs = segmentRuns(data, place);
    const more = runs === undefined ? yield* patternRuns(data, place.textStart, place.end, 0, from, to, budget) : yield* listedRuns(data, runs, from, to, budget);
    if (!more) return;
  }
}

/** Decodes the runs segmentRuns found (`[start, end, …]`) that start in [from, to); false once the budget is spent. */
function* listedRuns(data: Buffer, runs: readonly number[], from: number, to: number, budget: DecodeBudget): Generator<DecodedRun, boolean> {
  for (let k = 0; k + 1 < runs.length; k += 2) {
    const start = runs[k] ?? 0;
    const matchEnd = runs[k + 1] ?? 0;
    if (start >= to) return true;
    if (start < from || matchEnd - start < MIN_RUN) continue;
    const run = decodeRun(data, start, matchEnd, budget);
    if (run === null) return false;
    if (run !== undefined) yield run;
  }
  return true;
}

/**
 * The runs RADIX_RUN finds in data[textStart, textEnd) from `at` (relative to textStart) that start in
 * [from, to). A base64 run takes up to two `=` of padding after it (the pattern does not, so a `=` is still
 * the delimiter of a run right after it). Returns false once the decode budget is spent.
 */
function* patternRuns(data: Buffer, textStart: number, textEnd: number, at: number, from: number, to: number, budget: DecodeBudget): Generator<DecodedRun, boolean> {
  const text = textStart === 0 && textEnd === data.length ? data : data.subarray(textStart, textEnd);
  RADIX_RUN.lastIndex = at;
  for (let m = RADIX_RUN.exec(text); m !== null; m = RADIX_RUN.exec(text)) {
    const matchEnd = textStart + RADIX_RUN.lastIndex;
    // The leading delimiter (if any, maybe a multi-byte character) is not part of the run, which starts alphanumeric.
    let start = textStart + m.index;
    while (start < matchEnd && !isAlphanumeric(data[start] ?? 0)) start++;
    if (start >= to) return true;
    if (start < from || matchEnd - start < MIN_RUN) continue;
    const run = decodeRun(data, start, matchEnd, budget);
    if (run === null) return false;
    if (run === undefined) continue;
    // The regex's lastIndex is shared state (depth 2 searches decoded text with it): restore it after yielding.
    yield run;
    RADIX_RUN.lastIndex = matchEnd - textStart;
  }
  return true;
}

function* escapedRuns(
  escape: RE2,
  inRun: (c: number) => boolean,
  decode: Decoder,
  data: Buffer,
  from: number,
  to: number,
  budget: DecodeBudget,
): Generator<DecodedRun> {
  escape.lastIndex = from;
  for (let m = escape.exec(data); m !== null; m = escape.exec(data)) {
    let start = m.index;
    const floor = Math.max(0, start - MAX_ESCAPED_RUN);
    while (start > floor && inRun(data[start - 1] ?? 0)) start--;
    let end = escape.lastIndex;
    const ceiling = Math.min(data.length, start + MAX_ESCAPED_RUN);
    while (end < ceiling && inRun(data[end] ?? 0)) end++;
    if (start >= to) break;
    escape.lastIndex = end;
    if (start < from || end - start < MIN_RUN) continue;
    const run = attempt(decode, data, start, end, budget);
    if (run === null) return;
    if (run === undefined) continue;
    yield run;
    escape.lastIndex = end;
  }
}

/** A base64 (with up to two `=` of padding after it) or hex run of text; see `attempt` for the result. */
function decodeRun(data: Buffer, start: number, matchEnd: number, budget: DecodeBudget): DecodedRun | undefined | null {
  const first = data[start] ?? 0;
  const hex = first >= 48 && first <= 57;
  let end = matchEnd;
  if (!hex) for (let pad = 0; pad < 2 && data[end] === EQUALS; pad++) end++;
  return attempt(hex ? decodeHex : decodeBase64, data, start, end, budget);
}

/** Decodes one run within the budget: the run, undefined (not text), or null when the budget is spent. */
function attempt(decode: Decoder, data: Buffer, start: number, end: number, budget: DecodeBudget): DecodedRun | undefined | null {
  if (budget.bytes <= 0 || budget.probes <= 0) {
    budget.exhausted = true;
    return null;
  }
  budget.probes--;
  const run = decode(data, start, end, budget.bytes);
  if (run === undefined) return undefined;
  budget.bytes -= run.bytes.length;
  if (run.end < end) budget.exhausted = true;
  return run;
}

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** URL-encoded text runs to whitespace, a quote, or `<>`. */
function isPercentRunByte(c: number): boolean {
  return c > 32 && c !== 34 && c !== 39 && c !== 60 && c !== 62 && c !== 127;
}

/** Escaped string text runs to whitespace or a quote (escaped quotes are inside the run). */
function isStringRunByte(c: number): boolean {
  return c > 32 && c !== 34 && c !== 39 && c !== 127;
}
