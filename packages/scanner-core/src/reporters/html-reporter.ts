import type { Writable } from 'node:stream';
import { severityOf, type Finding } from '../finding.js';
import type { Severity } from '../rules/rule.js';
import { writeBytes } from '../stream-write.js';
import type { RunInfo, ScanSummary } from '../summary.js';
import { dayOf, escapeHtml, horizontalBars, timeBars, topCounts, type Bar } from './html-charts.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { FindingGrouper, type FindingGroup } from './finding-groups.js';
import { provenance } from './provenance.js';
import type { Reporter } from './reporter.js';

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const SEVERITY_COLOR: Record<Severity, string> = { critical: '#a3218e', high: '#d1242f', medium: '#bf8700', low: '#0969da', info: '#6e7781' };
/** Table rows (one per secret) kept for the page; totals and charts count everything. */
const MAX_ROWS = 5000;
const PLACES_PER_ROW = 20;

/**
 * `--format html`: one self-contained page for audits. Totals, charts (inline SVG: by severity, rule,
 * provider, top directory, and over time from commit dates or log timestamps), and a filterable table with
 * one row per secret and its places. A Content-Security-Policy forbids every network request; opened from
 * disk it works offline. Values never appear: only the redacted preview and the fingerprint.
 * Memory: counters for the charts, and at most MAX_ROWS grouped rows.
 */
export class HtmlReporter implements Reporter {
  readonly #out: Writable;
  readonly #grouper: FindingGrouper;
  readonly #rows: string[] = [];
  #hiddenRows = 0;
  #run: RunInfo | undefined;
  readonly #bySeverity = new Map<string, number>();
  readonly #byRule = new Map<string, number>();
  readonly #byProvider = new Map<string, number>();
  readonly #byDir = new Map<string, number>();
  readonly #byDay = new Map<string, number>();
  readonly #rules = new Set<string>();

  constructor(out: Writable) {
    this.#out = out;
    this.#grouper = new FindingGrouper((g) => this.#row(g), { maxLocations: PLACES_PER_ROW });
  }

  onStart(run: RunInfo): void {
    this.#run = run;
  }

  async onFinding(f: Finding): Promise<void> {
    bump(this.#bySeverity, severityOf(f));
    bump(this.#byRule, f.rule.id);
    bump(this.#byProvider, f.rule.provider);
    bump(this.#byDir, topDirectory(f.origin.path));
    const origin = f.origin as { date?: string; timestamp?: string };
    const day = dayOf(origin.date ?? origin.timestamp);
    if (day !== undefined) bump(this.#byDay, day);
    this.#rules.add(f.rule.id);
    await this.#grouper.add(f);
  }

  #row(group: FindingGroup): Promise<void> {
    if (this.#rows.length >= MAX_ROWS) {
      this.#hiddenRows++;
      return Promise.resolve();
    }
    const f = group.first;
    const severity = severityOf(f);
    const places = group.locations.map((p) => `<li>${placeHtml(p)}</li>`).join('');
    const more = group.occurrences > group.locations.length ? `<li>… ${group.occurrences - group.locations.length} more</li>` : '';
    const facts = [
      ...(f.decoded === undefined ? [] : [`decoded: ${f.decoded}`]),
      ...(f.checksum === undefined ? [] : [`checksum: ${f.checksum}`]),
      ...Object.entries(f.details ?? {}).map(([k, v]) => `${k}: ${String(v)}`),
    ];
    const search = [f.rule.id, f.rule.provider, severity, f.origin.path, f.redacted, f.decoded ?? '', ...Object.values(provenance(f.origin)).map(String)]
      .join(' ')
      .toLowerCase();
    this.#rows.push(
      `<tr data-severity="${severity}" data-rule="${escapeHtml(f.rule.id)}" data-search="${escapeHtml(search)}">` +
        `<td><span class="sev sev-${severity}">${severity}</span></td>` +
        `<td><code>${escapeHtml(f.rule.id)}</code><div class="muted">${escapeHtml(f.rule.description)}</div></td>` +
        `<td><code>${escapeHtml(f.redacted)}</code>${facts.map((x) => `<div class="fact">${escapeHtml(x)}</div>`).join('')}</td>` +
        `<td class="num">${group.occurrences}</td>` +
        `<td><details${group.locations.length === 1 ? ' open' : ''}><summary>${escapeHtml(f.origin.path)}:${f.location.line}</summary><ul class="places">${places}${more}</ul></details></td>` +
        `<td><code class="fp">${f.fingerprint.slice(0, 12)}</code></td></tr>`,
    );
    return Promise.resolve();
  }

  async onEnd(summary: ScanSummary): Promise<void> {
    await this.#grouper.end();
    await writeBytes(this.#out, this.#page(summary));
  }

  #page(s: ScanSummary): string {
    const run = this.#run;
    const title = `leakguard report${run === undefined ? '' : ` — ${run.command}`}`;
    const severityBars: Bar[] = SEVERITY_ORDER.filter((sev) => this.#bySeverity.has(sev)).map((sev) => ({
      label: sev,
      value: this.#bySeverity.get(sev) ?? 0,
      color: SEVERITY_COLOR[sev],
    }));
    const bars = (counts: Map<string, number>, limit: number): { bars: Bar[]; more: number } => {
      const { top, more } = topCounts(counts, limit);
      return { bars: top.map(([label, value]) => ({ label, value })), more };
    };
    const rules = bars(this.#byRule, 15);
    const providers = bars(this.#byProvider, 15);
    const dirs = bars(this.#byDir, 15);
    const totals = [
      ['findings', s.findings],
      ['distinct secrets', this.#rows.length + this.#hiddenRows],
      ['rules matched', this.#rules.size],
      ['items scanned', s.itemsScanned],
      ['suppressed', Object.values(s.suppressed ?? {}).reduce((a, b) => a + b, 0)],
      ['warnings', s.warnings.length],
    ]
      .map(([label, n]) => `<div class="total"><div class="n">${n}</div><div class="muted">${label}</div></div>`)
      .join('');
    const ruleOptions = [...this.#rules].sort().map((r) => `<option>${escapeHtml(r)}</option>`).join('');
    const hidden = this.#hiddenRows > 0 ? `<p class="note">${this.#hiddenRows} more secrets are counted above but not listed (table limit ${MAX_ROWS}).</p>` : '';
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${HTML_STYLE}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(run?.tool.name ?? 'leakguard')} ${escapeHtml(run?.tool.version ?? '')} · root <code>${escapeHtml(run?.root ?? '')}</code> · ${s.durationMs} ms${s.partial ? ' · <strong>PARTIAL: the scan was interrupted</strong>' : ''} · values are never shown, only redacted previews</p></header>
<section class="totals" id="totals">${totals}</section>
<section class="charts">
${horizontalBars('Findings by severity', severityBars)}
${horizontalBars('Findings by rule', rules.bars, rules.more)}
${horizontalBars('Findings by provider', providers.bars, providers.more)}
${horizontalBars('Findings by top directory', dirs.bars, dirs.more)}
${timeBars('Findings over time (commit date or log timestamp)', timeBuckets(this.#byDay))}
</section>
<section><h2>Findings</h2>
<div class="filters"><input id="q" type="search" placeholder="filter: rule, path, commit, preview…" aria-label="filter">
<select id="sev" aria-label="severity"><option value="">all severities</option>${SEVERITY_ORDER.map((x) => `<option>${x}</option>`).join('')}</select>
<select id="rule" aria-label="rule"><option value="">all rules</option>${ruleOptions}</select>
<span id="shown" class="muted"></span></div>
<table id="findings"><thead><tr><th>severity</th><th>rule</th><th>secret (redacted)</th><th>places</th><th>where</th><th>fingerprint</th></tr></thead>
<tbody>${this.#rows.join('\n')}</tbody></table>${hidden}
${this.#rows.length === 0 ? '<p class="empty" id="no-findings">No findings.</p>' : ''}
</section>
<script>${HTML_SCRIPT}</script>
</body></html>
`;
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The first directory of a report path (`src` for `src/app/a.js`), `.` for files at the root. */
function topDirectory(path: string): string {
  const clean = path.replace(/^\.\//, '').replace(/^\/+/, '');
  const slash = clean.indexOf('/');
  return slash < 0 ? '.' : `${clean.slice(0, slash)}/`;
}

function placeHtml(f: Finding): string {
  const extra = Object.entries(provenance(f.origin))
    .filter(([k]) => k !== 'source')
    .map(([k, v]) => `<span class="prov">${escapeHtml(k)}=${escapeHtml(String(v))}</span>`)
    .join(' ');
  const decoded = f.decoded === undefined ? '' : ` <span class="prov">decoded=${escapeHtml(f.decoded)}</span>`;
  return `<code>${escapeHtml(f.origin.path)}:${f.location.line}:${f.location.column}</code> <span class="prov">${escapeHtml(f.origin.kind)}</span>${decoded} ${extra}`;
}

/** Days as buckets when the span is short, else months, else years; empty buckets in between are kept. */
function timeBuckets(byDay: ReadonlyMap<string, number>): Bar[] {
  if (byDay.size === 0) return [];
  const days = [...byDay.keys()].sort();
  const first = Date.parse(days[0] ?? '');
  const last = Date.parse(days[days.length - 1] ?? '');
  const spanDays = (last - first) / 86_400_000;
  const width = spanDays <= 92 ? 10 : spanDays <= 3660 ? 7 : 4;
  const counts = new Map<string, number>();
  for (const [day, n] of byDay) counts.set(day.slice(0, width), (counts.get(day.slice(0, width)) ?? 0) + n);
  const out: Bar[] = [];
  for (let t = first, guard = 0; guard < 4000; guard++) {
    const key = new Date(t).toISOString().slice(0, width);
    if (out[out.length - 1]?.label !== key) out.push({ label: key, value: counts.get(key) ?? 0 });
    if (t > last) break;
    t += width === 10 ? 86_400_000 : width === 7 ? 28 * 86_400_000 : 365 * 86_400_000;
  }
  const lastKey = new Date(last).toISOString().slice(0, width);
  return out.filter((b) => b.label <= lastKey);
}
