// A worker thread that matches chunks: it builds its own scanner from the same config and answers
// { id, chunk } with { id, findings } where each finding carries its value as `secretValue` (postMessage
// cannot clone a Secret; the main thread wraps it again and nothing here is ever printed).
import { parentPort } from 'node:worker_threads';
import type { Chunk } from '../chunk.js';
import type { Finding } from '../finding.js';
import type { MatchedFindings } from './engine.js';
import { createScanner } from '../scanner.js';
import { LogChunkScanner } from '../sources/logs/log-chunk-scanner.js';
import type { MatchRequest, MatchResponse, WireFinding, WorkerReady, WorkerSpec, WorkerStart } from './worker-protocol.js';

let match: ((chunk: Chunk) => MatchedFindings) | undefined;

/** Builds this worker's scanner and says so; from then on it answers match requests. */
function start(spec: WorkerSpec): void {
  const keyed = spec.fingerprintKey === undefined ? {} : { fingerprintKey: spec.fingerprintKey };
  const scanner = createScanner(spec.config, keyed);
  const logScanner = spec.logs === true ? new LogChunkScanner(scanner.engine, keyed) : undefined;
  match = (chunk) => (logScanner === undefined ? scanner.engine.scan(chunk) : logScanner.scan(chunk));
  parentPort?.postMessage({ ready: true } satisfies WorkerReady);
}

function toWire({ secret, origin, ...rest }: Finding): WireFinding {
  const timestamp = (origin as { timestamp?: unknown }).timestamp;
  return { ...rest, secretValue: secret.reveal(), ...(typeof timestamp === 'string' ? { timestamp } : {}) };
}

// The spec comes as the first message, so a worker can start before it is known (matching-workers.ts).
parentPort?.on('message', (message: MatchRequest | WorkerStart) => {
  if ('spec' in message) {
    start(message.spec);
    return;
  }
  const request = message;
  let response: MatchResponse;
  try {
    const matchChunk = match;
    if (matchChunk === undefined) throw new Error('match request before the scanner was built');
    const contextKeywords: (boolean | undefined)[] = [];
    const { bytes } = request;
    const findings = request.chunks.map(({ at, length, ...wire }) => {
      const chunk: Chunk = { ...wire, data: Buffer.from(bytes.buffer, bytes.byteOffset + at, length) };
      const matched = matchChunk(chunk);
      contextKeywords.push(matched.contextKeywords);
      return matched.map(toWire);
    });
    response = { id: request.id, findings, contextKeywords };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(response);
});
