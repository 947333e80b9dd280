import type { Chunk } from '../chunk.js';
import type { LeakguardConfig } from '../config/config.js';
import type { Finding } from '../finding.js';

/** What a matching worker is started with: enough to build the same scanner as the main thread. */
export interface WorkerSpec {
  readonly config: LeakguardConfig;
  readonly fingerprintKey?: string;
}

export interface MatchRequest {
  readonly id: number;
  readonly chunk: Omit<Chunk, 'data'> & { readonly data: Uint8Array };
}

/** A finding as it crosses the thread boundary: the Secret unwrapped, the origin left behind. */
export type WireFinding = Omit<Finding, 'secret' | 'origin'> & { readonly secretValue: string };

export type MatchResponse =
  | { readonly id: number; readonly findings: readonly WireFinding[]; readonly error?: undefined }
  | { readonly id: number; readonly error: string; readonly findings?: undefined };
