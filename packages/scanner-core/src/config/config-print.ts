import { stringify } from '../yaml-lazy.js';
import type { RuleDefinition } from '../rules/rule.js';
import { DEFAULT_DECODE, type AllowConfig, type LeakguardConfig } from './config.js';

/**
 * The effective config as YAML in the same format `.leakguard.yaml` is written in, every default spelled
 * out, so what a scan will do can be read (and copied) in one place. `ruleCount` is how many rules are in
 * effect after `extends`, `disable` and `add`.
 */
export function printConfig(config: LeakguardConfig, ruleCount: number): string {
  const header = [
    `# effective leakguard config${config.path === undefined ? ' (built-in defaults: no .leakguard.yaml found)' : ` from ${config.path}`}`,
    `# ${ruleCount} rule${ruleCount === 1 ? '' : 's'} in effect`,
  ];
  const overrides = Object.fromEntries(
    Object.entries(config.overrides ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, o]) => [
        id,
        {
          ...(o.minEntropy === undefined ? {} : { min_entropy: o.minEntropy }),
          ...(o.severity === undefined ? {} : { severity: o.severity }),
          ...(o.allow === undefined ? {} : { allow: allowYaml(o.allow) }),
        },
      ]),
  );
  const decode = config.decode ?? DEFAULT_DECODE;
  const body = {
    extends: config.extends,
    rules: { disable: [...config.disable], add: config.add.map(ruleYaml), overrides },
    allow: allowYaml(config.allow),
    decode: { depth: decode.depth, max_bytes: decode.maxBytes },
  };
  return `${header.join('\n')}\n${stringify(body, { lineWidth: 0 })}`;
}

function allowYaml(allow: AllowConfig): Record<string, readonly string[]> {
  return {
    paths: allow.paths,
    regexes: allow.regexes,
    line_regexes: allow.lineRegexes ?? [],
    stopwords: allow.stopwords,
  };
}

/** A user rule back in `rules/*.yaml` form (examples left out: they are checked, not configuration). */
function ruleYaml(rule: RuleDefinition): Record<string, unknown> {
  return {
    id: rule.id,
    description: rule.description,
    pattern: rule.pattern,
    keywords: rule.keywords,
    severity: rule.severity,
    ...(rule.minEntropy === undefined ? {} : { min_entropy: rule.minEntropy }),
    ...(rule.checksum === undefined ? {} : { checksum: rule.checksum }),
    ...(rule.paths === undefined ? {} : { paths: rule.paths }),
    ...(rule.allow === undefined ? {} : { allow: rule.allow }),
    ...(rule.generic ? { generic: true } : {}),
  };
}
