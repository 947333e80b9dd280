import type { Readable, Writable } from 'node:stream';
import { writeBytes } from '../stream-write.js';
import type { StreamRedactor } from './stream-redactor.js';

/**
 * Pipes `input` through the redactor into `output`, each complete line written as soon as it is complete.
 * On abort (SIGTERM/SIGINT) reading stops and whatever is pending is redacted and flushed; the same happens
 * at end of input. Returns whether it stopped because of the signal.
 */
export async function redactStream(input: Readable, output: Writable, redactor: StreamRedactor, signal?: AbortSignal): Promise<{ aborted: boolean }> {
  const stop = (): void => {
    input.destroy();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const piece of input as AsyncIterable<Buffer>) {
      await writeBytes(output, redactor.push(piece));
      if (signal?.aborted === true) break;
    }
  } catch (error) {
    if (signal?.aborted !== true) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  await writeBytes(output, redactor.end());
  return { aborted: signal?.aborted === true };
}
