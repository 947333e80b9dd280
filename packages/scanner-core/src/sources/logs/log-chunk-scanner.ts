import type { Chunk } from '../../chunk.js';
import type { Engine } from '../../engine/engine.js';
import { PositionIndex } from '../../engine/position-index.js';
import type { Finding } from '../../finding.js';
import { Fingerprinter } from '../../fingerprint.js';
import { escapedJsonRanges, unescapeJson } from './json-lines.js';
import type { LineHead } from './log-chunk.js';
import { parseLogTimestamp } from './log-timestamp.js';

export interface LogChunkScannerOptions {
  /** Must be the engine's key, so findings from unescaped JSON get the same location fingerprints. */
  readonly fingerprintKey?: string;
  /** Attach the line's timestamp to findings of `log` origin (default true). */
  readonly timestamps?: boolean;
}

/** A chunk plus the optional log context: the line head and the incremental-run cut-off. */
export type ScannableChunk = Chunk & { readonly head?: LineHead; readonly reportedTo?: number };

/**
 * Scans one log window: the raw bytes, then the unescaped text of JSON lines that contain escapes (so
 * `\u0067hp_…` or `a\/b` inside a JSON string are seen as the application wrote them), with those
 * findings mapped back to raw offsets, lines and columns. A raw finding wins over an unescaped one on the
 * same bytes. Findings come back in offset order.
 */
export class LogChunkScanner {
  readonly engine: Engine;
  readonly #fingerprints: Fingerprinter;
  readonly #timestamps: boolean;

  constructor(engine: Engine, options: LogChunkScannerOptions = {}) {
    this.engine = engine;
    this.#fingerprints = new Fingerprinter(options.fingerprintKey);
    this.#timestamps = options.timestamps ?? true;
  }

  /** ChunkMatcher: the same as `scan`, so the scanner can stand in for a worker pool. */
  match(chunk: ScannableChunk): Finding[] {
    return this.scan(chunk);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  scan(chunk: ScannableChunk): Finding[] {
    const raw = this.engine.scan(chunk);
    const unescaped = this.#scanUnescaped(chunk, raw);
    let findings = unescaped.length === 0 ? raw : [...raw, ...unescaped].sort((a, b) => a.location.offset - b.location.offset);
    const reportedTo = chunk.reportedTo ?? 0;
    if (reportedTo > chunk.offset) findings = findings.filter((f) => f.location.endOffset > reportedTo);
    if (!this.#timestamps || chunk.origin.kind !== 'log') return findings;
    return findings.map((f) => this.#withTimestamp(f, chunk));
  }

  #scanUnescaped(chunk: ScannableChunk, raw: readonly Finding[]): Finding[] {
    const ranges = escapedJsonRanges(chunk.data, chunk.ownedStart, chunk.ownedEnd, chunk.head?.json ?? true);
    if (ranges.length === 0) return [];
    const text = unescapeJson(chunk.data, ranges);
    const found = this.engine.scan({ data: text.data, origin: chunk.origin, offset: 0, line: 1, column: 1, ownedStart: 0, ownedEnd: text.data.length });
    const mapped: { finding: Finding; start: number; end: number }[] = [];
    for (const f of found) {
      const start = text.rawStart(f.location.offset);
      const end = text.rawEnd(f.location.endOffset);
      if (start < chunk.ownedStart || start >= chunk.ownedEnd) continue;
      const absStart = chunk.offset + start;
      const absEnd = chunk.offset + end;
      if (raw.some((r) => r.location.offset < absEnd && absStart < r.location.endOffset)) continue;
      mapped.push({ finding: f, start, end });
    }
    mapped.sort((a, b) => a.start - b.start);
    const positions = new PositionIndex(chunk.data, chunk.line, chunk.column);
    return mapped.map(({ finding, start, end }) => {
      const from = positions.positionOf(start);
      const to = positions.positionOf(end);
      return {
        ...finding,
        locationFingerprint: this.#fingerprints.location(finding.fingerprint, chunk.origin, from.line),
        location: { offset: chunk.offset + start, endOffset: chunk.offset + end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column },
      };
    });
  }

  #withTimestamp(finding: Finding, chunk: ScannableChunk): Finding {
    const at = finding.location.offset - chunk.offset;
    const nl = at > 0 ? chunk.data.lastIndexOf(10, at - 1) : -1;
    const timestamp = nl === -1 ? (chunk.column === 1 && chunk.head === undefined ? parseLogTimestamp(chunk.data, 0) : chunk.head?.timestamp) : parseLogTimestamp(chunk.data, nl + 1);
    if (timestamp === undefined) return finding;
    return { ...finding, origin: { ...finding.origin, timestamp } as Finding['origin'] };
  }
}
