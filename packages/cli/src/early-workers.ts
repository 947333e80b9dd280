import { availableParallelism } from 'node:os';
import { prestartWorkers } from '@leakguard/scanner-core/matching-workers';
import { expectedWorkers } from './relaunch.js';

/**
 * Starts the matching workers a relaunched scan will need first (expectedWorkers), so that they load while the
 * CLI's own modules do. Its own entry in the bundle: bin.js loads it before the rest of the CLI.
 */
export function startEarlyWorkers(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  const count = expectedWorkers(argv, env, availableParallelism());
  if (count > 0) prestartWorkers(count);
}
