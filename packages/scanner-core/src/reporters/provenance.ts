import type { Origin } from '../origin.js';

/** The origin's provenance fields, flat, for JSON/CSV/SARIF properties (path is reported separately). */
export function provenance(origin: Origin): Record<string, string | number> {
  const out: Record<string, string | number> = { source: origin.kind };
  for (const [key, value] of Object.entries(origin)) {
    if (key === 'kind' || key === 'path' || value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  return out;
}
