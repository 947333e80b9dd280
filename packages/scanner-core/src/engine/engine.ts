import type RE2 from 're2';
import type { Chunk } from '../chunk.js';
import type { DecodeConfig } from '../config/config.js';
import { Decoder, type DecodeStats } from '../decoding/decoded-layers.js';
import type { SecretFacts } from '../rules/secret-facts.js';
import type { Finding } from '../finding.js';
import type { Origin } from '../origin.js';
import { Fingerprinter } from '../fingerprint.js';
import { redactedPreview } from '../redacted-preview.js';
import { Secret } from '../secret.js';
import type { CompiledRule } from './compiled-rule.js';
import { shannonEntropy } from './entropy.js';
import type { KeywordBlocks } from './keyword-blocks.js';
import { KeywordPrefilter } from './keyword-prefilter.js';
import { isGenericNonSecret, isObviousPlaceholder } from './placeholder.js';
import { PositionIndex } from './position-index.js';
import { RuleGroups } from './rule-groups.js';

export interface EngineOptions {
  readonly fingerprintKey?: string;
  /** Longest match the engine promises to see whole across window boundaries (bytes). */
  readonly maxMatchLength?: number;
  /** Config-wide allow-list: RE2 patterns on the secret value. */
  readonly allowSecrets?: readonly RE2[];
  /** Config-wide stopwords: a secret containing one (case-insensitive) is dropped. */
  readonly stopwords?: readonly string[];
  /** Also match inside base64/hex/URL/escape-encoded text (off when absent or depth 0). */
  readonly decode?: DecodeConfig;
  /** Bytes scanned before candidate rules are screened in groups with RE2.Set (default 4 MiB). */
  readonly groupWarmupBytes?: number;
  /** Run bounded rules only near their keywords (default true; tests compare against whole passes). */
  readonly keywordRegions?: boolean;
  /** Clock for offline checks (a JWT's expiry); tests pin it. */
  readonly now?: () => number;
}

interface Candidate {
  readonly rule: CompiledRule;
  readonly start: number;
  readonly end: number;
  readonly value: string;
  readonly entropy: number;
  readonly checksum: 'valid' | 'invalid' | undefined;
  readonly facts?: SecretFacts | undefined;
  /** The encoding chain when the value was found in decoded text; start/end are then the encoded span. */
  readonly decoded?: string;
}

/**
 * Turns chunks into findings. Knows rules, nothing about where bytes come from.
 * Per chunk: keyword prefilter → each candidate rule's RE2 on the Buffer (byte offsets via the `d` flag)
 * → entropy, checksum, allow-list and placeholder checks → overlap resolution → positions.
 */
export class Engine {
  readonly rules: readonly CompiledRule[];
  readonly maxMatchLength: number;
  readonly #prefilter: KeywordPrefilter;
  readonly #fingerprints: Fingerprinter;
  readonly #allowSecrets: readonly RE2[];
  readonly #stopwords: readonly string[];
  readonly #decoder: Decoder | undefined;
  readonly #now: () => number;
  readonly #groups: RuleGroups;
  readonly #groupWarmupBytes: number;
  readonly #keywordRegions: boolean;
  #bytesSeen = 0;

  constructor(rules: readonly CompiledRule[], options: EngineOptions = {}) {
    this.rules = rules;
    this.maxMatchLength = options.maxMatchLength ?? 16 * 1024;
    this.#prefilter = new KeywordPrefilter(
      rules.map((r) => r.definition.keywords),
      rules.map((r) => r.definition.screen),
    );
    this.#fingerprints = new Fingerprinter(options.fingerprintKey);
    this.#allowSecrets = options.allowSecrets ?? [];
    this.#stopwords = (options.stopwords ?? []).map((w) => w.toLowerCase());
    this.#decoder = options.decode !== undefined && options.decode.depth > 0 ? new Decoder(options.decode) : undefined;
    this.#now = options.now ?? Date.now;
    this.#groups = new RuleGroups(rules);
    this.#groupWarmupBytes = options.groupWarmupBytes ?? GROUP_WARMUP_BYTES;
    this.#keywordRegions = options.keywordRegions ?? true;
  }

  /** Totals of decoding so far (undefined when decoding is off), for the scan summary. */
  get decodeStats(): Readonly<DecodeStats> | undefined {
    return this.#decoder === undefined ? undefined : { ...this.#decoder.stats };
  }

  scan(chunk: Chunk): Finding[] {
    const candidates: Candidate[] = [];
    const path = chunk.origin.path;
    this.#collect(chunk.data, chunk.ownedStart, chunk.ownedEnd, path, candidates);
    // Matches in decoded text are reported at the encoded span of the original, marked with the encoding.
    for (const layer of this.#decoder?.layers(chunk.data, chunk.ownedStart, chunk.ownedEnd) ?? []) {
      const found: Candidate[] = [];
      this.#collect(layer.bytes, layer.from, layer.bytes.length, path, found);
      for (const c of found) {
        const [start, end] = layer.originalSpan(c.start, c.end);
        candidates.push({ ...c, start, end, decoded: layer.chain });
      }
    }
    if (candidates.length === 0) return [];
    return this.#toFindings(resolveOverlaps(candidates), chunk);
  }

  #collect(data: Buffer, ownedStart: number, ownedEnd: number, path: string, out: Candidate[]): void {
    this.#bytesSeen += data.length;
    const blocks = this.#prefilter.blocks(data, BLOCK);
    const candidates = blocks.rules().filter((i) => this.rules[i]?.appliesToPath(path) === true);
    if (candidates.length === 0) return;
    if (data.length <= PIECE + 2 * this.maxMatchLength) {
      const matching = this.#bytesSeen > this.#groupWarmupBytes ? this.#groups.matching(candidates, data) : candidates;
      for (const index of matching) this.#runRule(index, blocks, data, 0, data.length, ownedStart, ownedEnd, out);
      return;
    }
    this.#collectByPiece(candidates, blocks, data, ownedStart, ownedEnd, out);
  }

  /**
   * Large chunks (minified bundles, big blobs, log windows) are screened piece by piece: each 256 KiB piece,
   * widened by 2 × maxMatchLength on both sides, gets its own group screening, and owns the match starts
   * from the middle of each margin, so a keyword-bearing match (no longer than maxMatchLength) is found
   * once, whole, as in a full pass. Rules whose matches need not hold a keyword (a file-level context word)
   * still run over the whole chunk when their keyword occurs anywhere in it.
   */
  #collectByPiece(candidates: readonly number[], blocks: KeywordBlocks, data: Buffer, ownedStart: number, ownedEnd: number, out: Candidate[]): void {
    const half = this.maxMatchLength;
    const reach = 2 * half;
    const local = candidates.filter((i) => this.rules[i]?.keywordInMatch === true);
    for (let piece = 0; piece < data.length; piece += PIECE) {
      const from = Math.max(0, piece - reach);
      const to = Math.min(data.length, piece + PIECE + reach);
      const ownFrom = Math.max(ownedStart, from === 0 ? 0 : from + half);
      const ownTo = Math.min(ownedEnd, to === data.length ? data.length : to - half);
      if (ownFrom >= ownTo) continue;
      const present = local.filter((i) => blocks.occursIn(i, from, to));
      for (const index of this.#groups.matching(present, data.subarray(from, to))) {
        this.#runRule(index, blocks, data, from, to, ownFrom, ownTo, out);
      }
    }
    for (const index of candidates) {
      if (this.rules[index]?.keywordInMatch === false) this.#runRule(index, blocks, data, 0, data.length, ownedStart, ownedEnd, out);
    }
  }

  /**
   * Runs one rule over data[from, to). A rule whose matches hold a keyword and have a bounded length runs
   * only near the blocks where its keywords occur (see KeywordBlocks): a match that holds a keyword lies
   * wholly in such a region, and one cut at a region's edge would be longer than the bound.
   */
  #runRule(index: number, blocks: KeywordBlocks, data: Buffer, from: number, to: number, ownedStart: number, ownedEnd: number, out: Candidate[]): void {
    const rule = this.rules[index];
    if (rule === undefined) return;
    if (to - from <= 2 * BLOCK || !rule.keywordInMatch || !this.#keywordRegions) {
      this.#matchRule(rule, data, from, to, ownedStart, ownedEnd, out);
      return;
    }
    // Unbounded patterns (the generic ones) get the length the engine promises to see whole anyway.
    const reach = Number.isFinite(rule.maxLength) ? rule.maxLength : this.maxMatchLength;
    // Regions are widened to line boundaries where one is near: a region cut inside a word, or inside a match
    // the whole pass would have consumed (`publishable_token`), must not start a different match.
    const toLines = (lo: number, hi: number): [number, number] => [lineStartNear(data, lo), lineEndNear(data, hi)];
    for (const [start, end] of blocks.regions(index, from, to, reach, toLines)) this.#matchRule(rule, data, start, end, ownedStart, ownedEnd, out);
  }

  /** The same finding at another place holding the same bytes (see `Source.locate`). */
  relocate(finding: Finding, origin: Origin): Finding {
    return { ...finding, origin, locationFingerprint: this.#fingerprints.location(finding.fingerprint, origin, finding.location.line) };
  }

  /** Runs one rule over data[from, to); reports matches whose secret starts in [ownedStart, ownedEnd). */
  #matchRule(rule: CompiledRule, data: Buffer, from: number, to: number, ownedStart: number, ownedEnd: number, out: Candidate[]): void {
    const { regex } = rule;
    const region = from === 0 && to === data.length ? data : data.subarray(from, to);
    regex.lastIndex = 0;
    for (let m = regex.exec(region); m !== null; m = regex.exec(region)) {
      const at = from + m.index;
      if (rule.leadingGuard !== undefined && !rule.leadingGuard(at === 0 ? -1 : (data[at - 1] ?? -1))) {
        regex.lastIndex = m.index + 1;
        continue;
      }
      const indices = m.indices;
      if (m[0].length === 0) regex.lastIndex++;
      let span: [number, number] | undefined;
      for (let g = 1; indices !== undefined && g < indices.length && span === undefined; g++) span = indices[g];
      if (span === undefined) continue;
      const start = span[0] + from;
      const end = span[1] + from;
      if (start < ownedStart || start >= ownedEnd || end <= start) continue;
      const value = data.toString('utf8', start, end);
      const candidate = this.#check(rule, value, data, start, end);
      if (candidate) out.push(candidate);
    }
  }

  #check(rule: CompiledRule, value: string, data: Buffer, start: number, end: number): Candidate | undefined {
    const def = rule.definition;
    const entropy = shannonEntropy(value);
    if (def.minEntropy !== undefined && entropy < def.minEntropy) return undefined;
    if (isObviousPlaceholder(value)) return undefined;
    if (def.generic && isGenericNonSecret(value, lineAround(data, start, end))) return undefined;
    if (rule.allow.some((a) => a.test(value)) || this.#allowSecrets.some((a) => a.test(value))) return undefined;
    if (this.#stopwords.length > 0 && this.#stopwords.some((w) => value.toLowerCase().includes(w))) return undefined;
    let checksum: 'valid' | 'invalid' | undefined;
    let facts: SecretFacts | undefined;
    if (rule.checksum) {
      checksum = rule.checksum.validate(value) ? 'valid' : 'invalid';
      if (checksum === 'invalid' && rule.checksum.onFailure === 'drop') return undefined;
      if (checksum === 'valid') facts = rule.checksum.describe?.(value, this.#now());
    }
    return { rule, start, end, value, entropy, checksum, facts };
  }

  #toFindings(candidates: Candidate[], chunk: Chunk): Finding[] {
    const positions = new PositionIndex(chunk.data, chunk.line, chunk.column);
    const findings: Finding[] = [];
    for (const c of candidates) {
      const from = positions.positionOf(c.start);
      const to = positions.positionOf(c.end);
      const fingerprint = this.#fingerprints.secret(c.rule.info.id, c.value);
      findings.push({
        rule: c.rule.info,
        secret: new Secret(c.value),
        fingerprint,
        locationFingerprint: this.#fingerprints.location(fingerprint, chunk.origin, from.line),
        redacted: redactedPreview(c.value),
        entropy: Math.round(c.entropy * 1000) / 1000,
        origin: chunk.origin,
        location: {
          offset: chunk.offset + c.start,
          endOffset: chunk.offset + c.end,
          line: from.line,
          column: from.column,
          endLine: to.line,
          endColumn: to.column,
        },
        ...(c.checksum === undefined ? {} : { checksum: c.checksum }),
        ...(c.decoded === undefined ? {} : { decoded: c.decoded }),
        ...(c.facts === undefined ? {} : { details: c.facts.details }),
        ...(c.facts?.lowerSeverity === true && SEVERITY_RANK[c.rule.info.severity] > SEVERITY_RANK.low ? { severity: 'low' as const } : {}),
      });
    }
    return findings;
  }
}

/** Rule groups (one RE2.Set pass for many candidate rules) pay off once this much has been scanned. */
const GROUP_WARMUP_BYTES = 4 * 1024 * 1024;

/** Chunks up to this size are screened whole; larger ones piece by piece (see #collectByPiece). */
const PIECE = 256 * 1024;

/** Granularity of keyword positions (see KeywordBlocks): 8 KiB measured best on code and history. */
const BLOCK = 8 * 1024;

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/**
 * Where two rules claim overlapping bytes, one finding stays: a vendor rule beats a generic one, then the
 * longer span, then the earlier rule. Works cluster by cluster of overlapping spans, so a chunk with a
 * million findings stays linear. Returns the survivors in offset order.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const byStart = [...candidates].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: Candidate[] = [];
  let cluster: Candidate[] = [];
  let clusterEnd = -1;
  for (const c of byStart) {
    if (c.start >= clusterEnd && cluster.length > 0) {
      kept.push(...pickInCluster(cluster));
      cluster = [];
    }
    cluster.push(c);
    clusterEnd = cluster.length === 1 ? c.end : Math.max(clusterEnd, c.end);
  }
  kept.push(...pickInCluster(cluster));
  return kept.sort((a, b) => a.start - b.start || a.rule.info.id.localeCompare(b.rule.info.id));
}

function pickInCluster(cluster: Candidate[]): Candidate[] {
  if (cluster.length < 2) return cluster;
  const rank = (c: Candidate): number => (c.rule.definition.generic ? 1 : 0);
  const sorted = [...cluster].sort((a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Candidate[] = [];
  for (const c of sorted) if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  return kept;
}

/** How far a region edge moves to reach a line boundary; past that (minified code) it stays where it is. */
const LINE_SNAP = 4096;

// Both search only within LINE_SNAP: on a minified line with no newline, an unbounded search ran to the
// chunk's edge for every region.
function lineStartNear(data: Buffer, at: number): number {
  if (at <= 0) return 0;
  const from = Math.max(0, at - LINE_SNAP);
  const nl = data.subarray(from, at).lastIndexOf(10);
  return nl !== -1 ? from + nl + 1 : at;
}

function lineEndNear(data: Buffer, at: number): number {
  if (at >= data.length) return data.length;
  const nl = data.subarray(at, Math.min(data.length, at + LINE_SNAP + 1)).indexOf(10);
  return nl !== -1 ? at + nl : at;
}

/** The text of the line(s) holding data[start, end), capped, for context checks in generic rules. */
function lineAround(data: Buffer, start: number, end: number): string {
  const from = Math.max(data.lastIndexOf(10, start) + 1, start - 512);
  let to = data.indexOf(10, end);
  if (to === -1 || to > end + 512) to = Math.min(data.length, end + 512);
  return data.toString('utf8', from, to);
}
