import type { Writable } from 'node:stream';
import type { ScanProgress } from '@leakguard/scanner-core';

/**
 * One self-overwriting status line on a terminal's stderr: items, bytes, rate, findings, and the share done and
 * the time left when the source knows its total. Redrawn at most every 200 ms and erased before the report is
 * written. It prints counts only, never content.
 */
export class ProgressLine {
  readonly #out: Writable;
  #last = 0;
  #drawn = false;

  constructor(out: Writable) {
    this.#out = out;
  }

  update(p: ScanProgress): void {
    const now = performance.now();
    if (now - this.#last < 200) return;
    this.#last = now;
    const seconds = Math.max(p.elapsedMs / 1000, 0.001);
    const mb = p.bytes / 1e6;
    const line = `scanning: ${p.items} items, ${mb.toFixed(1)} MB, ${(mb / seconds).toFixed(1)} MB/s, ${p.findings} finding${p.findings === 1 ? '' : 's'}${eta(p.fraction, seconds)}`;
    this.#out.write(`\r\u001b[2K${line}`);
    this.#drawn = true;
  }

  clear(): void {
    if (this.#drawn) this.#out.write('\r\u001b[2K');
    this.#drawn = false;
  }
}

/**
 * `, 42 %, ETA 1m05s` from the share done so far at the rate so far; nothing until the share is known, a
 * second has passed and 1 % is done (earlier estimates swing too much to help).
 */
export function eta(fraction: number | undefined, seconds: number): string {
  if (fraction === undefined || fraction < 0.01 || seconds < 1) return '';
  const percent = `, ${Math.floor(fraction * 100)} %`;
  if (fraction >= 1) return percent;
  const left = Math.round((seconds * (1 - fraction)) / fraction);
  const minutes = Math.floor(left / 60);
  const hours = Math.floor(minutes / 60);
  const text = hours > 0 ? `${hours}h${String(minutes % 60).padStart(2, '0')}m` : minutes > 0 ? `${minutes}m${String(left % 60).padStart(2, '0')}s` : `${left}s`;
  return `${percent}, ETA ${text}`;
}
