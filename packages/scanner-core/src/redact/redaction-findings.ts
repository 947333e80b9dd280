import type { Chunk } from '../chunk.js';
import type { Engine } from '../engine/engine.js';
import type { FindingFilter } from '../filters/finding-filter.js';
import type { Finding } from '../finding.js';
import { LogChunkScanner } from '../sources/logs/log-chunk-scanner.js';

/**
 * What the redactor replaces in a chunk: the engine's findings in the raw bytes and in unescaped JSON
 * strings (mapped back to raw spans), minus what the config allows. The redactor uses only their spans.
 */
export function redactionFindings(scanner: { readonly engine: Engine; readonly filters: readonly FindingFilter[] }): (chunk: Chunk) => Finding[] {
  const logScanner = new LogChunkScanner(scanner.engine, { timestamps: false });
  return (chunk) => logScanner.scan(chunk).filter((f) => scanner.filters.every((filter) => filter.keep(f, { data: chunk.data, offset: chunk.offset })));
}
