import { inShard, type Shard } from './shard.js';
import type { ScanWarning, SourceContext } from './source.js';

/** A SourceContext and the tallies it keeps, read back for the scan summary. */
export interface CountingContext {
  readonly context: SourceContext;
  readonly warnings: ScanWarning[];
  readonly skipped: Record<string, number>;
  readonly items: () => number;
  readonly bytes: () => number;
  /** The share of its input the source last said it was through (see SourceContext.through), if it knows. */
  readonly fraction: () => number | undefined;
}

/** The context every scan pipeline hands its sources: warnings, skips by reason, items and bytes read, shard. */
export function countingContext(options: {
  readonly signal: AbortSignal;
  readonly shard?: Shard | undefined;
  readonly onWarning?: ((warning: ScanWarning) => void) | undefined;
}): CountingContext {
  const warnings: ScanWarning[] = [];
  const skipped: Record<string, number> = {};
  let items = 0;
  let bytes = 0;
  let fraction: number | undefined;
  const context: SourceContext = {
    signal: options.signal,
    warn(input, message) {
      const warning = { input, message };
      warnings.push(warning);
      options.onWarning?.(warning);
    },
    skip(_input, reason) {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
    },
    scanned(n) {
      items++;
      bytes += n;
    },
    inShard: (key) => inShard(options.shard, key),
    through(done, total) {
      fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : undefined;
    },
  };
  return { context, warnings, skipped, items: () => items, bytes: () => bytes, fraction: () => fraction };
}
