import { Worker } from 'node:worker_threads';
import type { WorkerSpec, WorkerStart } from './worker-protocol.js';

/**
 * Starting matching workers. Every worker is started without its spec and sent it as its first message
 * (WorkerStart), so one can be started before the scan's config is known: a worker needs ~80 ms to start (its
 * isolate, the engine's modules) before it builds its scanner (~30 ms), and a long scan's CLI starts spares
 * before it loads its own modules and reads its arguments, config and rules.
 */

/** The compiled worker script; under the test runner (sources in src/) the built copy in dist/ is used. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.includes('/src/engine/') ? new URL('../../dist/engine/engine-worker.js', here) : new URL('./engine-worker.js', here);
}

/** A new worker, its young generation capped at 8 MB (V8's default is larger): less of the process's peak RSS. */
function startWorker(): Worker {
  return new Worker(workerUrl(), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
}

interface Spare {
  readonly worker: Worker;
  failed: boolean;
}

/** Workers started before their spec was known, oldest first (see prestartWorkers). */
const spares: Spare[] = [];

/**
 * Starts `count` workers now, for the next pools to take in order (matchingWorker). Spares do not keep the
 * process alive; one that fails to start is replaced by a new worker when taken.
 */
export function prestartWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const worker = startWorker();
    const spare: Spare = { worker, failed: false };
    worker.on('error', () => {
      spare.failed = true;
    });
    worker.unref();
    spares.push(spare);
  }
}

/** A worker building its scanner from `spec`: the oldest spare that started, else a new one. */
export function matchingWorker(spec: WorkerSpec): Worker {
  let worker: Worker | undefined;
  while (worker === undefined) {
    const spare = spares.shift();
    if (spare === undefined) break;
    if (spare.failed) {
      void spare.worker.terminate();
      continue;
    }
    spare.worker.removeAllListeners('error');
    spare.worker.ref();
    worker = spare.worker;
  }
  worker ??= startWorker();
  worker.postMessage({ spec } satisfies WorkerStart);
  return worker;
}

/** Ends the workers no pool took (a guess of how many a scan would need that was too high). */
export async function discardSpareWorkers(): Promise<void> {
  const left = spares.splice(0);
  await Promise.all(left.map(({ worker }) => worker.terminate()));
}

/** Workers started by prestartWorkers and not taken yet. */
export function spareWorkerCount(): number {
  return spares.length;
}
