import type { Writable } from 'node:stream';

/**
 * Writes and, when the stream asks for it, waits until it drains (or closes), so a slow reader bounds our
 * memory. Rejects on a stream error.
 */
export async function writeBytes(out: Writable, data: Uint8Array | string): Promise<void> {
  if (data.length === 0 || out.write(data)) return;
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
