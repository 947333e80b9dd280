// A worker thread that matches chunks: it builds its own scanner from the same config and answers
// { id, chunk } with { id, findings } where each finding carries its value as `secretValue` (postMessage
// cannot clone a Secret; the main thread wraps it again and nothing here is ever printed).
import { parentPort, workerData } from 'node:worker_threads';
import type { Chunk } from '../chunk.js';
import { createScanner } from '../scanner.js';
import type { MatchRequest, MatchResponse, WorkerSpec } from './worker-protocol.js';

const spec = workerData as WorkerSpec;
const scanner = createScanner(spec.config, spec.fingerprintKey === undefined ? {} : { fingerprintKey: spec.fingerprintKey });

parentPort?.on('message', (request: MatchRequest) => {
  let response: MatchResponse;
  try {
    const findings = request.chunks.map((wire) => {
      const chunk: Chunk = { ...wire, data: Buffer.from(wire.data.buffer, wire.data.byteOffset, wire.data.byteLength) };
      return scanner.engine.scan(chunk).map(({ secret, origin: _origin, ...rest }) => ({ ...rest, secretValue: secret.reveal() }));
    });
    response = { id: request.id, findings };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(response);
});
