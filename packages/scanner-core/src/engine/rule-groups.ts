import RE2 from 're2';
import type { CompiledRule } from './compiled-rule.js';
import { screenPattern } from './screen-pattern.js';

/**
 * Generic candidates needed before the Set pass pays: the Set's DFA over all generic patterns runs at
 * ~150–450 MB/s, a single generic rule at ~400–600 MB/s (measured on generated code and on express's history).
 */
const MIN_SCREENED = 4;

/**
 * The generic rules often pass the keyword prefilter together (on nearly every source file). Each would
 * cost a full DFA pass; one `RE2.Set` pass over their patterns says which of them match at all, and only
 * those then run with captures. The Set holds relaxed forms of the patterns (see screenPattern): a screen
 * may let a rule through that then finds nothing, never the reverse. Vendor rules mostly begin with a
 * literal prefix that RE2 finds with memchr: alone they are cheaper than any shared Set pass, so they are
 * never screened.
 */
export class RuleGroups {
  readonly #rules: readonly CompiledRule[];
  /** Indices of the screened (generic) rules, ascending. */
  readonly #members: readonly number[];
  readonly #isMember: ReadonlySet<number>;
  /** Compiled on first use; null when RE2 refuses the combined program, then the rules run alone. */
  #set: InstanceType<typeof RE2.Set> | null | undefined;

  constructor(rules: readonly CompiledRule[]) {
    this.#rules = rules;
    // Rules with a screen were already screened by the prefilter, in the same pass as the keywords.
    this.#members = rules.flatMap((rule, index) => (rule.definition.generic && rule.definition.screen === undefined ? [index] : []));
    this.#isMember = new Set(this.#members);
  }

  /** The candidate rules (ascending indices) that may match `data`, ascending: screened ones only if they do. */
  matching(candidates: readonly number[], data: Buffer): number[] {
    const screened = candidates.filter((index) => this.#isMember.has(index));
    if (screened.length < MIN_SCREENED) return [...candidates];
    this.#set ??= this.#compile();
    if (this.#set === null) return [...candidates];
    const hits = new Set(this.#set.match(data).map((local) => this.#members[local]));
    return candidates.filter((index) => !this.#isMember.has(index) || hits.has(index));
  }

  #compile(): InstanceType<typeof RE2.Set> | null {
    try {
      return new RE2.Set(this.#members.map((m) => screenPattern(this.#rules[m]?.definition.pattern ?? '\\b\\B')));
    } catch {
      return null;
    }
  }
}
