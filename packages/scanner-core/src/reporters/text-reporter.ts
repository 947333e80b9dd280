import type { Writable } from 'node:stream';
import { severityOf, type Finding } from '../finding.js';
import { writeBytes } from '../stream-write.js';
import type { ScanSummary } from '../summary.js';
import { FindingGrouper, type FindingGroup } from './finding-groups.js';
import { printable } from './printable.js';
import { provenance } from './provenance.js';
import type { Reporter, ReporterOptions } from './reporter.js';

const SEVERITY_COLOR: Record<string, string> = { critical: '35', high: '31', medium: '33', low: '36', info: '37' };
/** Places listed under one grouped secret; the rest are counted. */
const LISTED_PLACES = 10;

/**
 * Human-readable: one block per secret (grouped, the default: written when the scan ends, with every place
 * it was found) or per place (ungrouped: streamed), and a summary line.
 */
export class TextReporter implements Reporter {
  readonly #out: Writable;
  readonly #color: boolean;
  readonly #grouper: FindingGrouper | undefined;
  #secrets = 0;

  constructor(out: Writable, options: ReporterOptions = {}) {
    this.#out = out;
    this.#color = options.color ?? false;
    this.#grouper = options.group === false ? undefined : new FindingGrouper((g) => this.#block(g));
  }

  #paint(code: string, text: string): string {
    return this.#color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  async onFinding(f: Finding): Promise<void> {
    if (this.#grouper !== undefined) await this.#grouper.add(f);
    else await this.#block({ first: f, locations: [f], occurrences: 1 });
  }

  async #block(group: FindingGroup): Promise<void> {
    this.#secrets++;
    const f = group.first;
    const severity = severityOf(f);
    const facts = [
      ...(f.decoded === undefined ? [] : [`decoded ${f.decoded}`]),
      ...(f.checksum === undefined ? [] : [`checksum ${f.checksum}`]),
      ...Object.entries(f.details ?? {}).map(([k, v]) => `${k}=${printable(String(v))}`),
    ].join('  ');
    const lines = [
      `${this.#paint(SEVERITY_COLOR[severity] ?? '0', severity.toUpperCase())} ${this.#paint('1', f.rule.id)}  ${printable(f.rule.description)}`,
      ...placeLines(f, '  at '),
      ...group.locations.slice(1, LISTED_PLACES).flatMap((other) => placeLines(other, '  also at ')),
      ...(group.occurrences > Math.min(group.locations.length, LISTED_PLACES)
        ? [`  … ${group.occurrences - Math.min(group.locations.length, LISTED_PLACES)} more place(s); ${group.occurrences} in all`]
        : []),
      `  secret ${printable(f.redacted)}  fingerprint ${f.fingerprint}`,
      ...(facts === '' ? [] : [`  ${facts}`]),
    ];
    await writeBytes(this.#out, `${lines.join('\n')}\n\n`);
  }

  async onEnd(s: ScanSummary): Promise<void> {
    await this.#grouper?.end();
    const skipped = Object.entries(s.skipped)
      .map(([reason, n]) => `${n} ${reason}`)
      .join(', ');
    const suppressed = Object.entries(s.suppressed ?? {})
      .map(([reason, n]) => `${n} by ${reason}`)
      .join(', ');
    const grouped = this.#grouper !== undefined && this.#secrets !== s.findings ? ` (${this.#secrets} distinct secret${this.#secrets === 1 ? '' : 's'})` : '';
    const parts = [
      `${s.findings} leak${s.findings === 1 ? '' : 's'} found${grouped}`,
      `${s.itemsScanned} items (${formatBytes(s.bytesScanned)}) scanned in ${s.durationMs} ms with ${s.rulesLoaded} rules`,
      ...(skipped === '' ? [] : [`skipped: ${skipped}`]),
      ...(suppressed === '' ? [] : [`suppressed: ${suppressed}`]),
      ...(s.warnings.length === 0 ? [] : [`${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}`]),
      ...(s.decoding === undefined ? [] : [`decode budget ran out in ${s.decoding.budgetExhausted} chunk(s)`]),
      ...(s.partial ? ['PARTIAL: the scan stopped early; this report covers what was read'] : []),
    ];
    const head = s.findings > 0 ? this.#paint('31;1', parts[0] ?? '') : this.#paint('32;1', parts[0] ?? '');
    await writeBytes(this.#out, `${[head, ...parts.slice(1)].join('; ')}\n${baselineLines(s).join('')}`);
  }
}

/** `at path:line:col` and, on the next line, the origin's provenance (commit, layer, timestamp, ...). */
function placeLines(f: Finding, lead: string): string[] {
  const extra = Object.entries(provenance(f.origin))
    .filter(([k]) => k !== 'source')
    .map(([k, v]) => `${k}=${printable(String(v))}`)
    .join(' ');
  const decoded = f.decoded === undefined ? '' : ` (decoded ${f.decoded})`;
  return [`${lead}${printable(f.origin.path)}:${f.location.line}:${f.location.column}${decoded}`, ...(extra === '' ? [] : [`    ${extra}`])];
}

function baselineLines(s: ScanSummary): string[] {
  const b = s.baseline;
  if (b === undefined) return [];
  const out = [`baseline ${printable(b.path)}: ${b.entries} entries, ${b.suppressed} finding(s) suppressed, ${b.expired} expired, ${b.stale} stale`];
  if (b.stale > 0) {
    out.push(`  stale entries match nothing in this scan (remove them with \`leakguard baseline prune\`):`);
    for (const e of b.staleEntries) out.push(`    ${e.rule} ${printable(e.path)}`);
    if (b.stale > b.staleEntries.length) out.push(`    … ${b.stale - b.staleEntries.length} more`);
  }
  if (b.expired > 0) out.push(`  expired entries no longer suppress: their findings are reported above`);
  return out.map((l) => `${l}\n`);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
