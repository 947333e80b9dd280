import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../../chunk.js';
import type { Engine } from '../../engine/engine.js';
import type { Finding, Location } from '../../finding.js';
import type { Origin } from '../../origin.js';
import type { RuleInfo } from '../../rules/rule.js';
import { Secret } from '../../secret.js';
import { isRecord } from './image-description.js';
import type { LayerWhiteouts } from './whiteouts.js';

/** A finding as the engine made it, minus the image-specific origin (a layer can be in many images). */
export interface LayerFinding extends Omit<Finding, 'origin'> {
  /** The file inside the layer. */
  readonly path: string;
}

/** Everything scanning a layer produced that another image with the same layer needs. */
export interface LayerResult {
  readonly findings: readonly LayerFinding[];
  readonly whiteouts: LayerWhiteouts;
}

/** The on-disk form of a finding: redacted preview and keyed fingerprints only, never the value. */
interface StoredFinding {
  readonly rule: string;
  readonly fingerprint: string;
  readonly locationFingerprint: string;
  readonly redacted: string;
  readonly entropy: number;
  readonly checksum?: 'valid' | 'invalid';
  readonly location: Location;
  readonly path: string;
}

const CACHE_FORMAT = 1;

/**
 * Content-addressed layer results: a layer (by uncompressed digest) is scanned once per run, and with a
 * directory, once across runs. Other images with the same layer get its findings replayed.
 *
 * Design. Findings reach reporters only through the engine, so the cache works as a pair:
 * - `attach(engine)` returns a decorated engine that records the findings of the layer being scanned
 *   (engine output, before filters: allowlists and baselines are applied again on replay, so changing
 *   them needs no rescan) and answers "replay chunks" with stored findings instead of matching;
 * - the image source asks `lookup(key)` before reading a layer; on a hit it yields replay chunks (empty
 *   data, the new image's origin) and never downloads or decompresses the layer.
 * On disk a finding keeps rule id, fingerprints, redacted preview, entropy and position: never the
 * secret. A finding replayed from disk therefore carries a Secret whose reveal() is the redacted
 * preview; anything that needs the raw value (a future --show-secrets) must run without --cache-dir.
 * Entries are keyed by the scan key (rules, engine settings, fingerprint key, limits, version) plus
 * layer digest, so a rule change can never replay stale results. The layer's whiteouts are stored too,
 * since lower layers need them even when this one is not read.
 * Trust: the key is the diff id the image config claims. It is verified (sha256 of the decompressed
 * tar) whenever a layer is actually scanned, and only verified layers are stored; an image whose config
 * claims a wrong diff id is rejected by Docker on pull/load.
 */
export class LayerCache {
  readonly #dir: string | undefined;
  readonly #memory = new Map<string, LayerResult>();
  readonly #replays = new WeakMap<Chunk, readonly LayerFinding[]>();
  #engine: Engine | undefined;
  #scanKey = '';
  #recording: { key: string; findings: LayerFinding[] } | undefined;

  constructor(options: { readonly dir?: string } = {}) {
    this.#dir = options.dir;
  }

  /** Wraps the run's engine; `scanKey` identifies everything besides the bytes that decides findings. */
  attach(engine: Engine, scanKey: string): Engine {
    this.#engine = engine;
    this.#scanKey = scanKey;
    const decorated = Object.create(engine) as Engine;
    decorated.scan = (chunk: Chunk): Finding[] => this.#scan(engine, chunk);
    return decorated;
  }

  /** The engine this cache is attached to; without one, nothing can be replayed. */
  get engine(): Engine | undefined {
    return this.#engine;
  }

  async lookup(key: string): Promise<LayerResult | undefined> {
    if (this.#engine === undefined) return undefined;
    const known = this.#memory.get(key);
    if (known !== undefined) return known;
    const stored = await this.#readDisk(key);
    if (stored !== undefined) this.#memory.set(key, stored);
    return stored;
  }

  /** Starts recording the findings of the layer about to be scanned. */
  begin(key: string): void {
    this.#recording = { key, findings: [] };
  }

  /** The layer was read whole and verified: keep its result for this run and, with a directory, later runs. */
  async commit(key: string, whiteouts: LayerWhiteouts): Promise<void> {
    const recording = this.#recording;
    this.#recording = undefined;
    if (recording?.key !== key || this.#engine === undefined) return;
    const result = { findings: recording.findings, whiteouts };
    this.#memory.set(key, result);
    await this.#writeDisk(key, result);
  }

  /** The layer could not be read whole: its partial result must not be reused. */
  abandon(): void {
    this.#recording = undefined;
  }

  /** A chunk that makes the attached engine return `findings` re-homed to `origin`. */
  replayChunk(origin: Origin, findings: readonly LayerFinding[]): Chunk {
    const chunk: Chunk = { data: Buffer.alloc(0), origin, offset: 0, line: 1, column: 1, ownedStart: 0, ownedEnd: 0 };
    this.#replays.set(chunk, findings);
    return chunk;
  }

  #scan(engine: Engine, chunk: Chunk): Finding[] {
    const replay = this.#replays.get(chunk);
    if (replay !== undefined) return replay.map(({ path: _path, ...finding }) => ({ ...finding, origin: chunk.origin }));
    const findings = engine.scan(chunk);
    if (this.#recording !== undefined && chunk.origin.kind === 'image-layer') {
      for (const { origin, ...finding } of findings) this.#recording.findings.push({ ...finding, path: origin.path });
    }
    return findings;
  }

  #file(key: string): string | undefined {
    if (this.#dir === undefined) return undefined;
    const name = createHash('sha256').update(key).digest('hex');
    return join(this.#dir, `v${CACHE_FORMAT}`, this.#scanKey.slice(0, 32), `${name}.json`);
  }

  async #readDisk(key: string): Promise<LayerResult | undefined> {
    const file = this.#file(key);
    if (file === undefined) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch {
      return undefined; // absent or damaged: a miss, the layer is scanned again
    }
    if (!isRecord(doc) || doc['key'] !== key || !Array.isArray(doc['findings']) || !isRecord(doc['whiteouts'])) return undefined;
    const rules = new Map<string, RuleInfo>((this.#engine?.rules ?? []).map((r) => [r.info.id, r.info]));
    const findings: LayerFinding[] = [];
    for (const stored of doc['findings'] as StoredFinding[]) {
      const rule = rules.get(stored.rule);
      if (rule === undefined) return undefined;
      findings.push({
        rule,
        secret: new Secret(stored.redacted),
        fingerprint: stored.fingerprint,
        locationFingerprint: stored.locationFingerprint,
        redacted: stored.redacted,
        entropy: stored.entropy,
        location: stored.location,
        path: stored.path,
        ...(stored.checksum === undefined ? {} : { checksum: stored.checksum }),
      });
    }
    const w = doc['whiteouts'];
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
    return { findings, whiteouts: { deleted: list(w['deleted']), opaque: list(w['opaque']) } };
  }

  async #writeDisk(key: string, result: LayerResult): Promise<void> {
    const file = this.#file(key);
    if (file === undefined) return;
    const findings: StoredFinding[] = result.findings.map((f) => ({
      rule: f.rule.id,
      fingerprint: f.fingerprint,
      locationFingerprint: f.locationFingerprint,
      redacted: f.redacted,
      entropy: f.entropy,
      location: f.location,
      path: f.path,
      ...(f.checksum === undefined ? {} : { checksum: f.checksum }),
    }));
    const dir = join(file, '..');
    await mkdir(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ format: CACHE_FORMAT, key, findings, whiteouts: result.whiteouts }));
    await rename(temp, file);
  }
}

/**
 * Identifies everything besides a layer's bytes that decides its findings, so a cached result is only
 * reused under the same rules, engine settings, fingerprint key and limits. The fingerprint key enters
 * only through a hash.
 */
export function layerScanKey(parts: {
  readonly version: string;
  readonly rules: unknown;
  readonly engineSettings: unknown;
  readonly fingerprintKey: string | undefined;
  readonly limits: unknown;
}): string {
  const key = createHash('sha256').update(`leakguard-fp\0${parts.fingerprintKey ?? ''}`).digest('hex');
  return createHash('sha256')
    .update(JSON.stringify({ format: CACHE_FORMAT, version: parts.version, rules: parts.rules, engine: parts.engineSettings, key, limits: parts.limits }))
    .digest('hex');
}
