import type { Writable } from 'node:stream';

/**
 * Writes and, when the stream asks for it, waits until it drains (or closes), so a slow reader bounds our
 * memory. Rejects on a stream error.
 */
export async function writeBytes(out: Writable, data: Uint8Array | string): Promise<void> {
  if (data.length === 0) return;
  // A stream that already failed (a full disk, a reader gone) takes writes without a word and emits nothing
  // more: waiting for its 'drain' would never end.
  if (out.errored !== null || out.destroyed) throw out.errored ?? new Error('write after the output was closed');
  if (out.write(data)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (): void => {
      out.off('error', fail);
      out.off('close', done);
      resolve();
    };
    const fail = (error: Error): void => {
      out.off('drain', done);
      out.off('close', done);
      reject(error);
    };
    out.once('drain', done);
    out.once('close', done);
    out.once('error', fail);
  });
}
