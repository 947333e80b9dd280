import type { Writable } from 'node:stream';
import type { Finding } from '../finding.js';
import type { ScanSummary } from '../summary.js';
import { printable } from './printable.js';
import { provenance } from './provenance.js';
import { write, type Reporter, type ReporterOptions } from './reporter.js';

const SEVERITY_COLOR: Record<string, string> = { critical: '35', high: '31', medium: '33', low: '36', info: '37' };

/** Human-readable, streamed: one block per finding, a summary at the end. */
export class TextReporter implements Reporter {
  readonly #out: Writable;
  readonly #color: boolean;

  constructor(out: Writable, options: ReporterOptions = {}) {
    this.#out = out;
    this.#color = options.color ?? false;
  }

  #paint(code: string, text: string): string {
    return this.#color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  async onFinding(f: Finding): Promise<void> {
    const where = `${printable(f.origin.path)}:${f.location.line}:${f.location.column}`;
    const extra = Object.entries(provenance(f.origin))
      .filter(([k]) => k !== 'source')
      .map(([k, v]) => `${k}=${printable(String(v))}`)
      .join(' ');
    const lines = [
      `${this.#paint(SEVERITY_COLOR[f.rule.severity] ?? '0', f.rule.severity.toUpperCase())} ${this.#paint('1', f.rule.id)}  ${printable(f.rule.description)}`,
      `  at ${where}`,
      `  secret ${printable(f.redacted)}  fingerprint ${f.fingerprint}`,
      ...(extra === '' ? [] : [`  ${extra}`]),
    ];
    await write(this.#out, `${lines.join('\n')}\n\n`);
  }

  async onEnd(s: ScanSummary): Promise<void> {
    const skipped = Object.entries(s.skipped)
      .map(([reason, n]) => `${n} ${reason}`)
      .join(', ');
    const parts = [
      `${s.findings} leak${s.findings === 1 ? '' : 's'} found`,
      `${s.itemsScanned} items (${formatBytes(s.bytesScanned)}) scanned in ${s.durationMs} ms with ${s.rulesLoaded} rules`,
      ...(skipped === '' ? [] : [`skipped: ${skipped}`]),
      ...(s.warnings.length === 0 ? [] : [`${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}`]),
      ...(s.partial ? ['PARTIAL: the scan was interrupted'] : []),
    ];
    const head = s.findings > 0 ? this.#paint('31;1', parts[0] ?? '') : this.#paint('32;1', parts[0] ?? '');
    await write(this.#out, `${[head, ...parts.slice(1)].join('; ')}\n`);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
