import type { RuleDefinition } from '../rules/rule.js';
import type { RuleOverride } from './config.js';

/**
 * Applies `rules.overrides` to the rule definitions before they are compiled: `min_entropy` and `severity`
 * replace the rule's own. (The per-rule `allow` is applied after matching, by AllowFilter.) Returns the
 * problems for override ids that name no rule in effect.
 */
export function applyOverrides(
  rules: readonly RuleDefinition[],
  overrides: Readonly<Record<string, RuleOverride>>,
): { rules: RuleDefinition[]; problems: string[] } {
  const known = new Set(rules.map((r) => r.id));
  const problems = Object.entries(overrides)
    .filter(([id]) => !known.has(id))
    .map(([id, o]) => `${o.where ?? 'config'}: rules.overrides: no rule with id "${id}" in effect`);
  const out = rules.map((rule) => {
    const o = overrides[rule.id];
    if (o === undefined) return rule;
    return {
      ...rule,
      ...(o.minEntropy === undefined ? {} : { minEntropy: o.minEntropy }),
      ...(o.severity === undefined ? {} : { severity: o.severity }),
    };
  });
  return { rules: out, problems };
}
