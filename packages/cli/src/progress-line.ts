import type { Writable } from 'node:stream';
import type { ScanProgress } from '@leakguard/scanner-core';

/**
 * One self-overwriting status line on a terminal's stderr: items, bytes, rate, findings. Redrawn at most
 * every 200 ms and erased before the report is written. It prints counts only, never content.
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
    const line = `scanning: ${p.items} items, ${mb.toFixed(1)} MB, ${(mb / seconds).toFixed(1)} MB/s, ${p.findings} finding${p.findings === 1 ? '' : 's'}`;
    this.#out.write(`\r\u001b[2K${line}`);
    this.#drawn = true;
  }

  clear(): void {
    if (this.#drawn) this.#out.write('\r\u001b[2K');
    this.#drawn = false;
  }
}
