import type { DecodeConfig } from '../config/config.js';
import type { DecodedRun } from './decoded-run.js';
import { encodedRuns, type DecodeBudget } from './encoded-runs.js';

/** How much of the line before an encoded run is kept in front of its decoded text (for keyword context). */
const MAX_PREFIX = 256;

/**
 * Decoded text to run the rules on. `bytes` is the line's text before the run (so `DB_PASSWORD: <base64>`
 * still has its keyword in front of the decoded value) followed by the decoded run; matches must start at
 * or after `from`, where the decoded part begins.
 */
export interface DecodedLayer {
  readonly bytes: Buffer;
  readonly from: number;
  /** The encodings, outermost first, joined by `/`: `base64`, `base64/base64`. */
  readonly chain: string;
  /** The span of the chunk's data whose encoded text holds bytes[from, to) (from ≥ this.from). */
  originalSpan(from: number, to: number): [number, number];
}

export interface DecodeStats {
  decodedBytes: number;
  /** Chunks in which the decode budget ran out (some encoded text there was not decoded). */
  budgetExhausted: number;
}

/**
 * Finds encoded runs (base64, hex, URL, string escapes) in a chunk and yields their decoded text, and with
 * depth 2 the decoded text of runs inside that, within a budget of decoded bytes per chunk.
 */
export class Decoder {
  readonly stats: DecodeStats = { decodedBytes: 0, budgetExhausted: 0 };
  readonly #options: DecodeConfig;

  constructor(options: DecodeConfig) {
    this.#options = options;
  }

  *layers(data: Buffer, ownedStart: number, ownedEnd: number): Generator<DecodedLayer> {
    const { depth, maxBytes } = this.#options;
    if (depth <= 0 || maxBytes <= 0) return;
    // Probes (cheap look-aheads that allocate a little) get their own cap so junk runs cannot spin forever.
    const budget: DecodeBudget = { bytes: maxBytes, probes: Math.max(1024, maxBytes >> 4), exhausted: false };
    try {
      for (const outer of encodedRuns(data, ownedStart, ownedEnd, budget)) {
        const toChunk = (from: number, to: number): [number, number] => outer.encodedSpan(from, to);
        yield layerOf(data, outer, outer.encoding, (from, to) => [from, to]);
        if (depth < 2) continue;
        for (const inner of encodedRuns(outer.bytes, 0, outer.bytes.length, budget)) {
          yield layerOf(outer.bytes, inner, `${outer.encoding}/${inner.encoding}`, toChunk);
        }
      }
    } finally {
      this.stats.decodedBytes += maxBytes - budget.bytes;
      if (budget.exhausted) this.stats.budgetExhausted++;
    }
  }
}

function layerOf(searched: Buffer, run: DecodedRun, chain: string, toChunk: (from: number, to: number) => [number, number]): DecodedLayer {
  const lineStart = run.start === 0 ? 0 : searched.lastIndexOf(10, run.start - 1) + 1;
  let prefix = searched.subarray(Math.max(lineStart, run.start - MAX_PREFIX), run.start);
  // `key_<hex>`: a word character glued to the decoded text would hide a `\b` the rules rely on.
  if (prefix.length > 0 && isWordByte(prefix[prefix.length - 1] ?? 0)) prefix = Buffer.concat([prefix, SPACE]);
  const from = prefix.length;
  return {
    bytes: from === 0 ? run.bytes : Buffer.concat([prefix, run.bytes]),
    from,
    chain,
    originalSpan: (start, end) => {
      const [a, b] = run.encodedSpan(Math.max(0, start - from), Math.max(0, end - from));
      return toChunk(a, b);
    },
  };
}

const SPACE = Buffer.from(' ');

function isWordByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
