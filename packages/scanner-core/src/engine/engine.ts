import type RE2 from 're2';
import type { Chunk, ChunkFocus } from '../chunk.js';
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
import { lineEndNear, lineStartNear } from './line-bounds.js';
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
  /** Search the rule library's keywords with its Hyperscan database when built (default true; see NativeKeywordLibrary). */
  readonly nativeKeywords?: boolean;
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
  readonly #nativeKeywords: boolean;
  /** The keywords of rules that use them as file-wide context only (built on the first focused chunk). */
  #contextPrefilter: KeywordPrefilter | undefined;
  #contextRuleIds: Set<string> | undefined;
  #bytesSeen = 0;

  constructor(rules: readonly CompiledRule[], options: EngineOptions = {}) {
    this.rules = rules;
    this.maxMatchLength = options.maxMatchLength ?? 16 * 1024;
    this.#nativeKeywords = options.nativeKeywords ?? true;
    this.#prefilter = new KeywordPrefilter(
      rules.map((r) => r.definition.keywords),
      rules.map((r) => r.definition.screen),
      { native: this.#nativeKeywords },
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

  /**
   * The chunk's findings, and in `contextKeywords` whether a keyword of a rule that uses it as file-wide
   * context occurs in it (DeltaMatcher uses that to skip looking for them in bytes it has seen).
   */
  scan(chunk: Chunk): MatchedFindings {
    const candidates: Candidate[] = [];
    const contextKeywords =
      chunk.focus === undefined
        ? this.#collectDecoding(chunk.data, chunk.ownedStart, chunk.ownedEnd, chunk.origin.path, true, candidates)
        : this.#collectFocused(chunk, chunk.focus, candidates);
    const findings = candidates.length === 0 ? [] : this.#toFindings(resolveOverlaps(candidates), chunk);
    return withContextKeywords(findings, contextKeywords);
  }

  /**
   * The rules' matches in data and (when decoding is on) in the decoded text of its encoded runs. Returns
   * whether a keyword of a file-context rule occurs there.
   */
  #collectDecoding(data: Buffer, ownedStart: number, ownedEnd: number, path: string, contextRules: boolean, out: Candidate[]): boolean {
    let context = this.#collect(data, ownedStart, ownedEnd, path, out, contextRules);
    // Matches in decoded text are reported at the encoded span of the original, marked with the encoding.
    for (const layer of this.#decoder?.layers(data, ownedStart, ownedEnd) ?? []) {
      const found: Candidate[] = [];
      if (this.#collect(layer.bytes, layer.from, layer.bytes.length, path, found, contextRules)) context = true;
      for (const c of found) {
        const [start, end] = layer.originalSpan(c.start, c.end);
        out.push({ ...c, start, end, decoded: layer.chain });
      }
    }
    return context;
  }

  /**
   * A chunk whose bytes outside the focus ranges were matched before (as another chunk; see DeltaMatcher):
   * rules run on each range widened by FOCUS_REACH on each side (to line boundaries) and report matches
   * starting in it. A rule whose keyword is file-wide context cannot be judged from a window: when its
   * keyword occurs anywhere (only the windows need a look when the rest is known to hold none), it runs over
   * the whole chunk and reports every match.
   */
  #collectFocused(chunk: Chunk, focus: ChunkFocus, out: Candidate[]): boolean {
    const { data } = chunk;
    let context = false;
    for (const [from, to] of focus.ranges) {
      const [lo, hi] = focusWindow(data, from, to);
      const found: Candidate[] = [];
      if (this.#collectDecoding(data.subarray(lo, hi), from - lo, to - lo, chunk.origin.path, false, found)) context = true;
      for (const c of found) out.push({ ...c, start: c.start + lo, end: c.end + lo });
    }
    if (focus.contextFree && !context) return false;
    this.#contextPrefilter ??= new KeywordPrefilter(this.rules.map((r) => (r.keywordInMatch ? [] : r.definition.keywords)), [], { native: this.#nativeKeywords });
    const present = this.#contextPrefilter.blocks(data, data.length).rules();
    for (const index of present) {
      const rule = this.rules[index];
      if (rule?.appliesToPath(chunk.origin.path) === true) this.#matchRule(rule, data, 0, data.length, chunk.ownedStart, chunk.ownedEnd, out);
    }
    return present.length > 0;
  }

  /** Whether a finding of this rule can be kept for bytes that did not change (see #collectFocused). */
  isContextRule(ruleId: string): boolean {
    this.#contextRuleIds ??= new Set(this.rules.filter((r) => !r.keywordInMatch).map((r) => r.info.id));
    return this.#contextRuleIds.has(ruleId);
  }

  /** Matches the candidate rules (context rules only when `contextRules`); returns whether a context rule's keyword occurs. */
  #collect(data: Buffer, ownedStart: number, ownedEnd: number, path: string, out: Candidate[], contextRules = true): boolean {
    this.#bytesSeen += data.length;
    const blocks = this.#prefilter.blocks(data, BLOCK);
    const present = blocks.rules();
    const context = present.some((i) => this.rules[i]?.keywordInMatch === false);
    const candidates = present.filter((i) => this.rules[i]?.appliesToPath(path) === true && (contextRules || this.rules[i]?.keywordInMatch === true));
    if (candidates.length === 0) return context;
    if (data.length <= PIECE + 2 * this.maxMatchLength) {
      const matching = this.#bytesSeen > this.#groupWarmupBytes ? this.#groups.matching(candidates, data) : candidates;
      for (const index of matching) this.#runRule(index, blocks, data, 0, data.length, ownedStart, ownedEnd, out);
      return context;
    }
    this.#collectByPiece(candidates, blocks, data, ownedStart, ownedEnd, out);
    return context;
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

/**
 * Bytes matched on each side of a focus range (see Chunk.focus): a match starting in the range is seen whole
 * up to this length past the range's end. DeltaMatcher's ranges are changes widened by 1 KiB, so a match
 * starting in a change is seen whole up to 3 KiB past the change, whatever its length inside it.
 */
export const FOCUS_REACH = 2 * 1024;

/** The bytes the engine reads for the focus range [from, to): FOCUS_REACH more on each side, to line boundaries. */
export function focusWindow(data: Buffer, from: number, to: number): [number, number] {
  return [lineStartNear(data, Math.max(0, from - FOCUS_REACH)), lineEndNear(data, Math.min(data.length, to + FOCUS_REACH))];
}

/** Granularity of keyword positions (see KeywordBlocks): 8 KiB measured best on code and history. */
const BLOCK = 8 * 1024;

/** A chunk's findings; see Engine.scan. */
export type MatchedFindings = Finding[] & { readonly contextKeywords?: boolean };

/**
 * Marks findings with `contextKeywords`, as a property that is not enumerable: to everything but
 * DeltaMatcher, which reads it, they stay a plain list of findings.
 */
export function withContextKeywords(findings: Finding[], contextKeywords: boolean): MatchedFindings {
  return Object.defineProperty(findings, 'contextKeywords', { value: contextKeywords, enumerable: false });
}

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

/** The text of the line(s) holding data[start, end), capped, for context checks in generic rules. */
function lineAround(data: Buffer, start: number, end: number): string {
  const from = Math.max(data.lastIndexOf(10, start) + 1, start - 512);
  let to = data.indexOf(10, end);
  if (to === -1 || to > end + 512) to = Math.min(data.length, end + 512);
  return data.toString('utf8', from, to);
}
