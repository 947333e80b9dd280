import RE2 from 're2';
import { KeywordBlocks } from './keyword-blocks.js';
import { NativeKeywordLibrary, NOT_SELECTED, TRIGGER } from './native-keywords.js';

/**
 * Finds which rule keywords occur in a buffer, and in which blocks of it, in one pass, so a chunk runs only
 * the rules it could match and only near their keywords. The patterns are the case-insensitive literal
 * keywords and the rule screens. Those of the rule library are searched with its Hyperscan database when
 * that is built (NativeKeywordLibrary: 1–2 GB/s), the rest with one `RE2.Set` (250–450 MB/s here with the
 * whole library, against ~205 MB/s for an Aho-Corasick automaton in JS; see docs/benchmarks.md).
 */
export class KeywordPrefilter {
  readonly #patterns: readonly string[];
  #set: InstanceType<typeof RE2.Set> | null | undefined;
  /**
   * Bytes of the next block searched with each block, so a keyword across a block edge is seen where it
   * begins: the longest keyword as case-folded UTF-8 (a folded `k` is 3 bytes), or SCREEN_OVERLAP.
   */
  readonly #overlap: number;
  /** keyword index → indices of the rules that list it */
  readonly #rulesByKeyword: readonly number[][];
  /** The library's Hyperscan database (see NativeKeywordLibrary), with RE2.Set for what it does not hold. */
  readonly #native: NativeKeywords | undefined;

  /**
   * `screens[i]`, when set, replaces rule i's keywords: the Set then holds that pattern for rule i alone
   * (see RuleDefinition.screen). `native: false` keeps every pattern on RE2.Set.
   */
  constructor(ruleKeywords: readonly (readonly string[])[], screens: readonly (string | undefined)[] = [], options: { readonly native?: boolean } = {}) {
    const index = new Map<string, number>();
    const rulesByKeyword: number[][] = [];
    const screenEntries: [string, number][] = [];
    ruleKeywords.forEach((keywords, rule) => {
      const screen = screens[rule];
      if (screen !== undefined) {
        screenEntries.push([screen, rule]);
        return;
      }
      for (const keyword of keywords) {
        let k = index.get(keyword);
        if (k === undefined) {
          k = index.size;
          index.set(keyword, k);
          rulesByKeyword.push([]);
        }
        rulesByKeyword[k]?.push(rule);
      }
    });
    const keywords = [...index.keys()];
    const longestKeyword = Math.max(1, ...keywords.map((k) => Buffer.byteLength(k)));
    // A screen match (a key name and its operator) is short in practice but unbounded in principle.
    this.#overlap = Math.max(3 * longestKeyword - 1, screenEntries.length > 0 ? SCREEN_OVERLAP : 0);
    this.#patterns = [...keywords.map(keywordPattern), ...screenEntries.map(([screen]) => screen)];
    this.#rulesByKeyword = [...rulesByKeyword, ...screenEntries.map(([, rule]) => [rule])];
    const library = this.#patterns.length === 0 || options.native === false ? undefined : NativeKeywordLibrary.load();
    if (library !== undefined) {
      const { ids, leftover } = library.select(this.#patterns);
      const rest = leftover.length === 0 ? undefined : new RE2.Set(leftover.map((i) => this.#patterns[i] ?? ''));
      this.#native = { library, ids, rest, restIndex: leftover };
    }
  }

  /**
   * Which rules' keywords begin in which `blockSize` block of `data` (see KeywordBlocks). Costs about what
   * one Set pass over the whole buffer costs.
   */
  blocks(data: Buffer, blockSize: number): KeywordBlocks {
    const single = data.length <= blockSize + this.#overlap;
    const byKeyword = (this.#native === undefined ? undefined : this.#nativeHits(this.#native, data, blockSize, single)) ?? this.#setHits(this.#fullSet(), undefined, data, blockSize, single);
    const byRule = new Map<number, readonly number[]>();
    for (const [k, starts] of byKeyword) {
      for (const r of this.#rulesByKeyword[k] ?? []) {
        if (single) byRule.set(r, FIRST_BLOCK);
        else {
          const known = byRule.get(r);
          byRule.set(r, known === undefined ? starts : mergeSorted(known, starts));
        }
      }
    }
    return new KeywordBlocks(blockSize, byRule);
  }

  /** Keyword index → ascending starts of the blocks where it begins; undefined when RE2.Set must decide (a trigger). */
  #nativeHits(native: NativeKeywords, data: Buffer, blockSize: number, single: boolean): Map<number, number[]> | undefined {
    const byKeyword = new Map<number, number[]>();
    if (data.length === 0) return byKeyword;
    // One block: one as long as the data, so every hit is in the block at 0.
    const pairs = native.library.scan(data, single ? data.length + 1 : blockSize);
    let unordered = false;
    for (let i = 0; i < pairs.length; i += 2) {
      const k = native.ids[pairs[i] ?? 0] ?? NOT_SELECTED;
      if (k === TRIGGER) return undefined;
      if (k === NOT_SELECTED) continue;
      const start = (pairs[i + 1] ?? 0) * blockSize;
      const list = byKeyword.get(k);
      if (list === undefined) byKeyword.set(k, [start]);
      else {
        if (start <= (list[list.length - 1] ?? 0)) unordered = true;
        list.push(start);
      }
    }
    if (unordered) for (const [k, list] of byKeyword) byKeyword.set(k, [...new Set(list)].sort((a, b) => a - b));
    if (native.rest !== undefined) {
      for (const [k, starts] of this.#setHits(native.rest, native.restIndex, data, blockSize, single)) byKeyword.set(k, starts);
    }
    return byKeyword;
  }

  /** Keyword index (through `index`) → ascending starts of the blocks where it begins, by RE2.Set. */
  #setHits(set: InstanceType<typeof RE2.Set> | undefined, index: readonly number[] | undefined, data: Buffer, blockSize: number, single: boolean): Map<number, number[]> {
    const byKeyword = new Map<number, number[]>();
    if (set === undefined || data.length === 0) return byKeyword;
    // One block (most files): every hit is in the block at 0.
    const step = single ? data.length : blockSize;
    for (let start = 0; start < data.length; start += step) {
      const end = Math.min(data.length, start + step + this.#overlap);
      for (const hit of set.match(start === 0 && end === data.length ? data : data.subarray(start, end))) {
        const k = index === undefined ? hit : (index[hit] ?? hit);
        const list = byKeyword.get(k);
        if (list === undefined) byKeyword.set(k, [start]);
        else list.push(start);
      }
    }
    return byKeyword;
  }

  /** One Set of every pattern: without the native library, or for a buffer holding a trigger. */
  #fullSet(): InstanceType<typeof RE2.Set> | undefined {
    if (this.#set === undefined) this.#set = this.#patterns.length === 0 ? null : new RE2.Set(this.#patterns);
    return this.#set ?? undefined;
  }
}

interface NativeKeywords {
  readonly library: NativeKeywordLibrary;
  /** database id → keyword index, NOT_SELECTED or TRIGGER */
  readonly ids: Int32Array;
  /** The patterns the database does not hold, and their keyword indices. */
  readonly rest: InstanceType<typeof RE2.Set> | undefined;
  readonly restIndex: readonly number[];
}

/** The prefilter pattern of a keyword: case-insensitive, literal. */
export function keywordPattern(keyword: string): string {
  return `(?i)${escapeLiteral(keyword)}`;
}

/** The union of two ascending lists, ascending, without duplicates. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i] ?? Number.POSITIVE_INFINITY;
    const y = b[j] ?? Number.POSITIVE_INFINITY;
    const next = Math.min(x, y);
    if (x === next) i++;
    if (y === next) j++;
    if (out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

const FIRST_BLOCK: readonly number[] = [0];

/**
 * Bytes of the next block searched with each block when screens are present: a screen match longer than
 * this that crosses a block edge is not seen (a key name plus operator of 256+ bytes).
 */
export const SCREEN_OVERLAP = 256;

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
