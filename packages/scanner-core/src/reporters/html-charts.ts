/** Inline SVG charts for the HTML report: drawn here, so the page needs no script or library to show them. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '?');
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A CSS colour; defaults to the accent colour. */
  readonly color?: string;
}

const WIDTH = 520;
const ROW = 22;
const LABEL = 190;

/** Horizontal bars, largest first as given, with the value at the end of each bar. */
export function horizontalBars(title: string, bars: readonly Bar[], more = 0): string {
  if (bars.length === 0) return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><p class="empty">none</p></figure>`;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const height = bars.length * ROW + 8;
  const rows = bars
    .map((b, i) => {
      const y = i * ROW + 4;
      const w = Math.max(2, Math.round(((WIDTH - LABEL - 60) * b.value) / max));
      const label = b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label;
      return (
        `<g><title>${escapeHtml(b.label)}: ${b.value}</title>` +
        `<text x="${LABEL - 6}" y="${y + 15}" text-anchor="end" class="label">${escapeHtml(label)}</text>` +
        `<rect x="${LABEL}" y="${y + 3}" width="${w}" height="${ROW - 6}" rx="3" fill="${b.color ?? 'var(--accent)'}"/>` +
        `<text x="${LABEL + w + 6}" y="${y + 15}" class="value">${b.value}</text></g>`
      );
    })
    .join('');
  const note = more > 0 ? `<p class="note">and ${more} more</p>` : '';
  return (
    `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">${rows}</svg>${note}</figure>`
  );
}

/** Vertical bars over time buckets (already sorted oldest first), labelled at the ends and the peak. */
export function timeBars(title: string, buckets: readonly Bar[]): string {
  if (buckets.length === 0) {
    return `<figure class="chart wide"><figcaption>${escapeHtml(title)}</figcaption><p class="empty">no dated findings (commit dates and log timestamps appear here)</p></figure>`;
  }
  const width = 1060;
  const height = 180;
  const base = height - 30;
  const max = Math.max(...buckets.map((b) => b.value), 1);
  const step = (width - 40) / buckets.length;
  const barWidth = Math.max(2, Math.min(40, step - 2));
  const peak = buckets.reduce((best, b, i) => (b.value > (buckets[best]?.value ?? 0) ? i : best), 0);
  const labelled = new Set([0, buckets.length - 1, peak]);
  const bars = buckets
    .map((b, i) => {
      const h = Math.max(1, Math.round(((base - 10) * b.value) / max));
      const x = 20 + i * step;
      const label = labelled.has(i)
        ? `<text x="${i === 0 ? x : i === buckets.length - 1 ? x + barWidth : x + barWidth / 2}" y="${height - 10}" text-anchor="${i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle'}" class="label">${escapeHtml(b.label)}</text>`
        : '';
      return `<g><title>${escapeHtml(b.label)}: ${b.value}</title><rect x="${x}" y="${base - h}" width="${barWidth}" height="${h}" fill="var(--accent)"/>${label}</g>`;
    })
    .join('');
  return (
    `<figure class="chart wide"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" height="${height}" preserveAspectRatio="none">` +
    `<line x1="16" y1="${base}" x2="${width - 16}" y2="${base}" stroke="var(--muted)"/>${bars}</svg></figure>`
  );
}

/** The top `limit` entries of a count map, largest first, and how many were left out. */
export function topCounts(counts: ReadonlyMap<string, number>, limit: number): { top: [string, number][]; more: number } {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { top: sorted.slice(0, limit), more: Math.max(0, sorted.length - limit) };
}

/**
 * The day (`YYYY-MM-DD`) of a commit date or log timestamp, when it can be read: ISO-8601, RFC 2822 (git's
 * default) and the common log format (`27/Nov/2026:18:58:58 +0000`). Syslog lines carry no year: skipped.
 */
export function dayOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const clf = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):/.exec(text);
  const parsed = clf === null ? Date.parse(text) : Date.parse(`${clf[1]} ${clf[2]} ${clf[3]} 00:00:00 UTC`);
  const hasYear = /\b(19|20)\d{2}\b/.test(text);
  if (!hasYear || Number.isNaN(parsed)) return undefined;
  return new Date(parsed).toISOString().slice(0, 10);
}
