import type { Writable } from 'node:stream';
import type { Finding } from '../finding.js';
import type { RunInfo, ScanSummary } from '../summary.js';
import { provenance } from './provenance.js';
import { write, type Reporter } from './reporter.js';

/** The stable JSON shape of one finding (docs/json-format.md). */
export function findingToJson(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule.id,
    description: f.rule.description,
    severity: f.rule.severity,
    fingerprint: f.fingerprint,
    locationFingerprint: f.locationFingerprint,
    redacted: f.redacted,
    entropy: f.entropy,
    ...(f.checksum === undefined ? {} : { checksum: f.checksum }),
    location: {
      path: f.origin.path,
      line: f.location.line,
      column: f.location.column,
      endLine: f.location.endLine,
      endColumn: f.location.endColumn,
      offset: f.location.offset,
      ...provenance(f.origin),
    },
  };
}

/** Streams `{ "version", "tool", "findings": [...], "summary": {...} }`, one finding at a time. */
export class JsonReporter implements Reporter {
  readonly #out: Writable;
  #count = 0;

  constructor(out: Writable) {
    this.#out = out;
  }

  async onStart(run: RunInfo): Promise<void> {
    await write(this.#out, `{\n  "version": 1,\n  "tool": ${JSON.stringify(run.tool)},\n  "findings": [`);
  }

  async onFinding(finding: Finding): Promise<void> {
    const sep = this.#count === 0 ? '\n    ' : ',\n    ';
    this.#count++;
    await write(this.#out, sep + JSON.stringify(findingToJson(finding)));
  }

  async onEnd(summary: ScanSummary): Promise<void> {
    const close = this.#count === 0 ? ']' : '\n  ]';
    await write(this.#out, `${close},\n  "summary": ${JSON.stringify(summary)}\n}\n`);
  }
}
