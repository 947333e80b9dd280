import type { Chunk } from '../chunk.js';
import type { LeakguardConfig } from '../config/config.js';
import type { Finding } from '../finding.js';

/** What a matching worker is sent first (WorkerStart): enough to build the same scanner as the main thread. */
export interface WorkerSpec {
  readonly config: LeakguardConfig;
  readonly fingerprintKey?: string;
  /** Chunks are log windows: match them with the log scanner (unescaped JSON lines, line timestamps). */
  readonly logs?: boolean;
}

/**
 * A batch of chunks (small git blobs and files would otherwise cost one message each). Their bytes travel in
 * one buffer, chunk after chunk: each chunk says where its data is.
 */
export interface MatchRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly chunks: readonly (Omit<Chunk, 'data' | 'key' | 'base'> & { readonly at: number; readonly length: number })[];
}

/** A finding as it crosses the thread boundary: the Secret unwrapped, the origin left behind. */
export type WireFinding = Omit<Finding, 'secret' | 'origin'> & {
  readonly secretValue: string;
  /** The log line's timestamp, the one origin field the log scanner adds. */
  readonly timestamp?: string;
};

/** A worker's first message from the pool: build the scanner now (see matching-workers.ts). */
export interface WorkerStart {
  readonly spec: WorkerSpec;
}

/** A worker's first message: its scanner is built, it matches from now on. */
export interface WorkerReady {
  readonly ready: true;
}

/** Findings per chunk of the batch, in the batch's order. */
export type MatchResponse =
  | {
      readonly id: number;
      readonly findings: readonly (readonly WireFinding[])[];
      /** Per chunk: MatchedFindings.contextKeywords (absent for log windows). */
      readonly contextKeywords?: readonly (boolean | undefined)[];
      readonly error?: undefined;
    }
  | { readonly id: number; readonly error: string; readonly findings?: undefined };
