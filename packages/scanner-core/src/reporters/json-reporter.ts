import type { Writable } from 'node:stream';
import { severityOf, type Finding } from '../finding.js';
import { writeBytes } from '../stream-write.js';
import type { RunInfo, ScanSummary } from '../summary.js';
import { FindingGrouper, type FindingGroup } from './finding-groups.js';
import { provenance } from './provenance.js';
import type { Reporter, ReporterOptions } from './reporter.js';

/** The stable JSON shape of one finding (docs/json-format.md). */
export function findingToJson(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule.id,
    description: f.rule.description,
    severity: severityOf(f),
    fingerprint: f.fingerprint,
    locationFingerprint: f.locationFingerprint,
    redacted: f.redacted,
    entropy: f.entropy,
    ...(f.checksum === undefined ? {} : { checksum: f.checksum }),
    ...(f.decoded === undefined ? {} : { decoded: f.decoded }),
    ...(f.details === undefined ? {} : { details: f.details }),
    location: locationToJson(f),
  };
}

/** Where one finding is: path, positions and the origin's provenance. */
export function locationToJson(f: Finding): Record<string, unknown> {
  return {
    path: f.origin.path,
    line: f.location.line,
    column: f.location.column,
    endLine: f.location.endLine,
    endColumn: f.location.endColumn,
    offset: f.location.offset,
    ...provenance(f.origin),
  };
}

/** A grouped finding: the first place's fields, plus every place (`locations`) and how many there were. */
export function groupToJson(group: FindingGroup): Record<string, unknown> {
  return {
    ...findingToJson(group.first),
    occurrences: group.occurrences,
    locations: group.locations.map((f) => ({
      ...locationToJson(f),
      locationFingerprint: f.locationFingerprint,
      ...(f.decoded === undefined ? {} : { decoded: f.decoded }),
    })),
  };
}

/**
 * Writes `{ "version", "tool", "findings": [...], "summary": {...} }`. Grouped (the default): one entry per
 * secret with `occurrences` and `locations`, written at the end. Ungrouped: one entry per place, streamed.
 */
export class JsonReporter implements Reporter {
  readonly #out: Writable;
  readonly #grouper: FindingGrouper | undefined;
  #count = 0;

  constructor(out: Writable, options: ReporterOptions = {}) {
    this.#out = out;
    this.#grouper = options.group === false ? undefined : new FindingGrouper((g) => this.#entry(groupToJson(g)));
  }

  async onStart(run: RunInfo): Promise<void> {
    await writeBytes(this.#out, `{\n  "version": 1,\n  "tool": ${JSON.stringify(run.tool)},\n  "findings": [`);
  }

  async onFinding(finding: Finding): Promise<void> {
    if (this.#grouper !== undefined) await this.#grouper.add(finding);
    else await this.#entry(findingToJson(finding));
  }

  async #entry(json: Record<string, unknown>): Promise<void> {
    const sep = this.#count === 0 ? '\n    ' : ',\n    ';
    this.#count++;
    await writeBytes(this.#out, sep + JSON.stringify(json));
  }

  async onEnd(summary: ScanSummary): Promise<void> {
    await this.#grouper?.end();
    const close = this.#count === 0 ? ']' : '\n  ]';
    await writeBytes(this.#out, `${close},\n  "summary": ${JSON.stringify(summary)}\n}\n`);
  }
}
