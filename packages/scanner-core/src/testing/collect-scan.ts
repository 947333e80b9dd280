import { DEFAULT_CONFIG } from '../config/config.js';
import type { Finding } from '../finding.js';
import { scan } from '../scan.js';
import { createScanner, type Scanner } from '../scanner.js';
import type { Shard } from '../sources/shard.js';
import type { Source } from '../sources/source.js';
import type { ScanSummary } from '../summary.js';

let shared: Scanner | undefined;

/** Runs sources through the real scanner (default rules) and collects every finding and the summary. */
export async function collectScan(
  sources: readonly Source[],
  signal?: AbortSignal,
  shard?: Shard,
): Promise<{ findings: Finding[]; summary: ScanSummary }> {
  shared ??= createScanner(DEFAULT_CONFIG);
  const findings: Finding[] = [];
  const summary = await scan({
    sources,
    engine: shared.engine,
    filters: shared.filters,
    reporters: [{ onFinding: (f) => void findings.push(f), onEnd: () => undefined }],
    run: { tool: { name: 'leakguard', version: 'test' }, command: 'test', root: '.', rules: [] },
    ...(signal === undefined ? {} : { signal }),
    ...(shard === undefined ? {} : { shard }),
  });
  return { findings, summary };
}
