import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../../chunk.js';
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
 * Design. Findings reach reporters only through `scan()`, which hands each chunk's findings back to its
 * source (`Source.matched`, main thread, chunk order, whatever matcher or worker pool ran the rules):
 * - recording: every origin the layer scanner makes is adopted by the layer's recording; findings for
 *   those origins are kept (engine output, before filters: allowlists and baselines apply again on
 *   replay, so changing them needs no rescan). A marker chunk yielded after the layer's last file
 *   commits the recording once everything before it has been matched;
 * - replay: on a hit the source yields empty replay chunks (one per file, with the new image's origin)
 *   and `matched` answers them with the stored findings; the layer is never downloaded or decompressed.
 * On disk a finding keeps rule id, fingerprints, redacted preview, entropy and position: never the
 * secret. A finding replayed from disk therefore carries a Secret whose reveal() is the redacted preview;
 * anything that needs the raw value (a future --show-secrets) must run without --cache-dir. Entries live
 * under the scan key (rules, engine settings, fingerprint key, limits, version), so a rule change never
 * replays stale results. The layer's whiteouts are stored too: lower layers need them even when this one
 * is not read.
 * Trust: the key is the diff id the image config claims. With a directory (and for registry layers) it is
 * verified (sha256 of the decompressed tar) whenever the layer is actually read, so only verified layers
 * are stored across runs; an image whose config claims a wrong diff id is rejected by Docker on pull and
 * load. Within one run a local layer is keyed by its claim unverified: an image lying about a diff id
 * would be replayed another's findings whether or not the first one's content was checked.
 */
export class LayerCache {
  readonly #dir: string | undefined;
  readonly #scanKey: string;
  readonly #rules: ReadonlyMap<string, RuleInfo>;
  readonly #memory = new Map<string, LayerResult>();
  readonly #replays = new WeakMap<Chunk, readonly LayerFinding[]>();
  readonly #recordings = new WeakMap<Origin, LayerRecording>();
  readonly #ends = new WeakMap<Chunk, LayerRecording>();
  readonly #writes: Promise<void>[] = [];

  /**
   * `dir` keeps results across runs; it needs `scanKey` and the run's `rules` (to re-link stored rule ids).
   * Without a directory results are kept for this run only.
   */
  constructor(options: { readonly dir?: string; readonly scanKey?: string; readonly rules?: readonly RuleInfo[] } = {}) {
    this.#dir = options.scanKey === undefined ? undefined : options.dir;
    this.#scanKey = options.scanKey ?? '';
    this.#rules = new Map((options.rules ?? []).map((r) => [r.id, r]));
  }

  /** Results outlive the run (a directory): only layers checked against their digests may be stored. */
  get persistent(): boolean {
    return this.#dir !== undefined;
  }

  async lookup(key: string): Promise<LayerResult | undefined> {
    const known = this.#memory.get(key);
    if (known !== undefined) return known;
    const stored = await this.#readDisk(key);
    if (stored !== undefined) this.#memory.set(key, stored);
    return stored;
  }

  /** Starts recording a layer about to be scanned; register each origin made for it with `adopt`. */
  record(key: string): LayerRecording {
    return new LayerRecording(key, this.#recordings);
  }

  /** The chunk to yield after a layer read whole and verified: when it is matched, the layer is kept. */
  endChunk(recording: LayerRecording, whiteouts: LayerWhiteouts, origin: Origin): Chunk {
    recording.whiteouts = whiteouts;
    const chunk = emptyChunk(origin);
    this.#ends.set(chunk, recording);
    return chunk;
  }

  /** A chunk whose findings are `findings`, re-homed to `origin` (the image being reported). */
  replayChunk(origin: Origin, findings: readonly LayerFinding[]): Chunk {
    const chunk = emptyChunk(origin);
    this.#replays.set(chunk, findings);
    return chunk;
  }

  /** The source's `matched` hook: records findings of layers being scanned, answers replay chunks. */
  matched(chunk: Chunk, findings: readonly Finding[]): readonly Finding[] {
    const replay = this.#replays.get(chunk);
    if (replay !== undefined) return replay.map(({ path: _path, ...finding }) => ({ ...finding, origin: chunk.origin }));
    const recording = this.#recordings.get(chunk.origin);
    if (recording !== undefined) for (const { origin, ...finding } of findings) recording.findings.push({ ...finding, path: origin.path });
    const ended = this.#ends.get(chunk);
    if (ended?.whiteouts !== undefined) {
      const result = { findings: ended.findings, whiteouts: ended.whiteouts };
      this.#memory.set(ended.key, result);
      this.#writes.push(this.#writeDisk(ended.key, result).catch(() => undefined));
    }
    return findings;
  }

  /** Waits for results still being written to the cache directory (call after the scan). */
  async flush(): Promise<void> {
    await Promise.all(this.#writes.splice(0));
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
    const findings: LayerFinding[] = [];
    for (const stored of doc['findings'] as StoredFinding[]) {
      const rule = this.#rules.get(stored.rule);
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

/** One layer being scanned: the origins made for it and the findings matched in them so far. */
export class LayerRecording {
  readonly key: string;
  readonly findings: LayerFinding[] = [];
  whiteouts: LayerWhiteouts | undefined;
  readonly #origins: WeakMap<Origin, LayerRecording>;

  constructor(key: string, origins: WeakMap<Origin, LayerRecording>) {
    this.key = key;
    this.#origins = origins;
  }

  adopt(origin: Origin): void {
    this.#origins.set(origin, this);
  }
}

function emptyChunk(origin: Origin): Chunk {
  return { data: Buffer.alloc(0), origin, offset: 0, line: 1, column: 1, ownedStart: 0, ownedEnd: 0 };
}
