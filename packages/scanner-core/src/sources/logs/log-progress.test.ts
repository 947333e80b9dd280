import { describe, expect, it } from 'vitest';
import { LogProgressTracker } from './log-progress.js';
import { TAIL_BYTES } from './log-state.js';

async function* piecesOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function follow(tracker: LogProgressTracker, text: string, size: number): Promise<string> {
  const seen: Buffer[] = [];
  for await (const piece of tracker.track(piecesOf(text, size))) seen.push(Buffer.from(piece));
  return Buffer.concat(seen).toString();
}

describe('LogProgressTracker', () => {
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}`);
  const text = `${lines.join('\n')}\nunfinished`;

  it('records where the last complete line ends, its number and the bytes before it, across any piece size', async () => {
    for (const size of [1, 7, 64, 4096]) {
      const tracker = new LogProgressTracker({ offset: 0, line: 1 });
      expect(await follow(tracker, text, size)).toBe(text); // pieces pass through unchanged
      const lineStart = text.lastIndexOf('\n') + 1;
      expect([tracker.position, tracker.lineStart, tracker.line]).toEqual([Buffer.byteLength(text), lineStart, lines.length + 1]);
      expect(tracker.tail.toString()).toBe(text.slice(Math.max(0, lineStart - TAIL_BYTES), lineStart));
    }
  });

  it('counts only bytes when nothing will be recorded', async () => {
    const tracker = new LogProgressTracker({ offset: 100, line: 5 }, false);
    expect(await follow(tracker, text, 64)).toBe(text);
    expect([tracker.position, tracker.lineStart, tracker.line]).toEqual([100 + Buffer.byteLength(text), 100, 5]);
  });
});
