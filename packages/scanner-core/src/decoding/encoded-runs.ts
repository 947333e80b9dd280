import RE2 from 're2';
import type { DecodedRun } from './decoded-run.js';
import { decodeEscapes, decodePercent } from './escape-decoders.js';
import { decodeBase64, decodeHex, isHexRun } from './radix-decoders.js';

/**
 * Candidate runs, found with RE2 on the Buffer (byte offsets, linear time; never a JS RegExp over a
 * chunk). Base64 (both alphabets) and hex share one pattern: hex digits are base64 characters.
 */
const BASE64_RUN = new RE2('[A-Za-z0-9+/_-]{16,}={0,2}', 'g');
const PERCENT_RUN = new RE2('[^\\s"\'<>%]*(?:%[0-9A-Fa-f]{2}[^\\s"\'<>%]*)+', 'g');
const ESCAPE_RUN = new RE2('(?:[^\\s"\'\\\\]|\\\\[^\\s])*\\\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})(?:[^\\s"\'\\\\]|\\\\[^\\s])*', 'g');
const MIN_RUN = 16;

/** Shared by every decode in one chunk: decoded bytes left, and how many cheap probes remain. */
export interface DecodeBudget {
  bytes: number;
  probes: number;
  exhausted: boolean;
}

type Decoder = (data: Buffer, start: number, end: number, maxBytes: number) => DecodedRun | undefined;

/** Every encoded run starting in data[from, to) that decodes to text, in order of pattern then offset. */
export function* encodedRuns(data: Buffer, from: number, to: number, budget: DecodeBudget): Generator<DecodedRun> {
  yield* runsOf(BASE64_RUN, data, from, to, budget, (d, s, e, max) =>
    isHexRun(d, s, e) ? (decodeHex(d, s, e, max) ?? decodeBase64(d, s, e, max)) : decodeBase64(d, s, e, max),
  );
  if (data.includes(37)) yield* runsOf(PERCENT_RUN, data, from, to, budget, decodePercent);
  if (data.includes('\\u') || data.includes('\\x')) yield* runsOf(ESCAPE_RUN, data, from, to, budget, decodeEscapes);
}

function* runsOf(regex: RE2, data: Buffer, from: number, to: number, budget: DecodeBudget, decode: Decoder): Generator<DecodedRun> {
  regex.lastIndex = from;
  for (let m = regex.exec(data); m !== null; m = regex.exec(data)) {
    const start = m.index;
    if (start >= to) break;
    const end = regex.lastIndex;
    if (end === start) {
      regex.lastIndex++;
      continue;
    }
    if (end - start < MIN_RUN) continue;
    if (budget.bytes <= 0 || budget.probes <= 0) {
      budget.exhausted = true;
      return;
    }
    budget.probes--;
    // The regex's lastIndex is shared state: read what we need before yielding to the caller.
    const run = decode(data, start, end, budget.bytes);
    if (run === undefined) continue;
    budget.bytes -= run.bytes.length;
    if (run.end < end) budget.exhausted = true;
    const resume = regex.lastIndex;
    yield run;
    regex.lastIndex = resume;
  }
}
