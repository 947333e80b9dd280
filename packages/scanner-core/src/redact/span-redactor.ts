import type { Finding } from '../finding.js';

/** Bytes of a stream (absolute offsets) that hold a secret, and the rule that found it. */
export interface RedactionSpan {
  readonly start: number;
  readonly end: number;
  readonly ruleId: string;
}

/** The spans of some findings, in start order. Only offsets and rule ids: no value is ever touched. */
export function spansOf(findings: readonly Finding[]): RedactionSpan[] {
  return findings
    .map((f) => ({ start: f.location.offset, end: f.location.endOffset, ruleId: f.rule.id }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
}

export function redactionMarker(ruleId: string): Buffer {
  return Buffer.from(`[REDACTED:${ruleId}]`);
}

/**
 * Rewrites a stream region by region, in order: each call gets the next region [from, to) and the spans
 * starting in it, and returns the region with every span replaced by `[REDACTED:<rule-id>]`. A span that
 * runs past `to` is remembered, so its remaining bytes are dropped from the following regions. All other
 * bytes are copied untouched, whatever they are.
 */
export class SpanRedactor {
  #skipUntil = 0;
  #count = 0;

  /** Spans replaced so far. */
  get count(): number {
    return this.#count;
  }

  /** `data` holds the stream from offset `dataOffset`, covering at least [from, to). */
  redact(data: Buffer, dataOffset: number, from: number, to: number, spans: readonly RedactionSpan[]): Buffer {
    const pieces: Buffer[] = [];
    let cursor = Math.max(from, this.#skipUntil);
    for (const span of spans) {
      if (span.start < from || span.start >= to) continue;
      if (span.start < cursor) {
        // inside (or overlapping) a span already replaced
        this.#skipUntil = Math.max(this.#skipUntil, span.end);
        cursor = Math.max(cursor, Math.min(span.end, to));
        continue;
      }
      pieces.push(data.subarray(cursor - dataOffset, span.start - dataOffset), redactionMarker(span.ruleId));
      this.#count++;
      this.#skipUntil = Math.max(this.#skipUntil, span.end);
      cursor = Math.min(span.end, to);
    }
    if (cursor < to) pieces.push(data.subarray(cursor - dataOffset, to - dataOffset));
    return pieces.length === 1 ? (pieces[0] ?? Buffer.alloc(0)) : Buffer.concat(pieces);
  }
}
