import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { InputError } from '../errors.js';
import { redactStream } from './redact-stream.js';
import type { StreamRedactor } from './stream-redactor.js';

/**
 * Rewrites a file with its secrets redacted, atomically: the redacted copy goes to a temp file in the
 * same directory (same permissions), is fsynced, then renamed over the original. A failure leaves the
 * original untouched and the temp file removed.
 */
export async function redactFileInPlace(path: string, redactor: StreamRedactor): Promise<void> {
  let mode: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError(`--in-place ${path}: not a regular file`);
    mode = info.mode & 0o7777;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`--in-place ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  const temp = join(dirname(path), `.${basename(path)}.leakguard-${process.pid}.tmp`);
  try {
    const output = createWriteStream(temp, { mode: 0o600 });
    await redactStream(createReadStream(path), output, redactor);
    output.end();
    await finished(output);
    await chmod(temp, mode);
    const handle = await open(temp, 'r+');
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new InputError(`--in-place ${path}: cannot rewrite (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
}
