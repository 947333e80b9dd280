import RE2 from 're2';
import type { CompiledRule } from './compiled-rule.js';

interface Group {
  readonly members: readonly number[];
  /** Compiled on first use; null when RE2 refuses the combined program (too large), then rules run alone. */
  set?: InstanceType<typeof RE2.Set> | null;
}

/**
 * Candidates of one group needed before its Set pass pays: the Set's DFA over all generic patterns runs at
 * ~150–450 MB/s, a single generic rule at ~400–600 MB/s (measured on generated code and on express's history).
 */
const MIN_SCREENED = 4;

/**
 * Many rules often pass the keyword prefilter for the same chunk (the generic rules on nearly every source
 * file). Each would cost a full DFA pass; one `RE2.Set` pass over a group's patterns says which of them
 * match at all (measured: 26 generic patterns in one Set at ~440 MB/s, against ~600 MB/s for each alone).
 * Only those then run with captures. The Set is compiled the first time enough of its rules are
 * candidates for one chunk.
 */
export class RuleGroups {
  readonly #rules: readonly CompiledRule[];
  readonly #groups: Group[] = [];
  readonly #groupOf: number[] = [];

  constructor(rules: readonly CompiledRule[]) {
    this.#rules = rules;
    // Vendor rules mostly begin with a literal prefix that RE2 finds with memchr: alone they are cheaper
    // than any shared Set pass, so only the context-driven generic rules are screened together. Long
    // counted repetitions (PEM bodies) would blow up a combined program: such rules always run alone.
    const generic = rules.flatMap((rule, index) =>
      rule.definition.generic && !/\{\d*,?\d{4,}\}/.test(rule.definition.pattern) ? [index] : [],
    );
    if (generic.length > 1) this.#add(generic);
  }

  #add(members: number[]): void {
    const group = this.#groups.length;
    this.#groups.push({ members });
    for (const m of members) this.#groupOf[m] = group;
  }

  /** The candidate rules (ascending indices) whose patterns match somewhere in `data`, ascending. */
  matching(candidates: readonly number[], data: Buffer): number[] {
    if (candidates.length < MIN_SCREENED) return [...candidates];
    const byGroup = new Map<number, number[]>();
    for (const index of candidates) {
      const group = this.#groupOf[index] ?? -1;
      const list = byGroup.get(group);
      if (list === undefined) byGroup.set(group, [index]);
      else list.push(index);
    }
    const out: number[] = [];
    for (const [groupIndex, members] of byGroup) {
      const group = this.#groups[groupIndex];
      if (group !== undefined && group.set === undefined) group.set = this.#compile(group);
      if (group?.set == null || members.length < MIN_SCREENED) {
        out.push(...members);
        continue;
      }
      const hits = new Set(group.set.match(data).map((local) => group.members[local]));
      for (const m of members) if (hits.has(m)) out.push(m);
    }
    return out.sort((a, b) => a - b);
  }

  #compile(group: Group): InstanceType<typeof RE2.Set> | null {
    try {
      return new RE2.Set(group.members.map((m) => this.#rules[m]?.definition.pattern ?? '\\b\\B'));
    } catch {
      return null;
    }
  }
}
