import type { LeakguardConfig } from './config/config.js';
import { DEFAULT_CONFIG } from './config/config.js';
import { compileRegex, compileRules } from './engine/compiled-rule.js';
import { Engine } from './engine/engine.js';
import { ConfigError } from './errors.js';
import type { FindingFilter } from './filters/finding-filter.js';
import { PathAllowFilter } from './filters/path-allow-filter.js';
import { loadRuleDir } from './rules/rule-loader.js';
import type { RuleDefinition } from './rules/rule.js';

export interface Scanner {
  readonly engine: Engine;
  readonly filters: readonly FindingFilter[];
  readonly rules: readonly RuleDefinition[];
}

/** The rule definitions a config selects: the library (unless `extends: none`), minus disabled, plus added. */
export function selectRules(config: LeakguardConfig, library?: readonly RuleDefinition[]): RuleDefinition[] {
  const base = config.extends === 'none' ? [] : (library ?? loadRuleDir());
  const known = new Set([...base, ...config.add].map((r) => r.id));
  const unknown = config.disable.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((id) => `${config.path ?? 'config'}: rules.disable: no rule with id "${id}"`));
  }
  const disabled = new Set(config.disable);
  return [...base.filter((r) => !disabled.has(r.id)), ...config.add];
}

/** Builds the engine and filters for a config. Throws ConfigError listing every problem. */
export function createScanner(config: LeakguardConfig = DEFAULT_CONFIG, options: { fingerprintKey?: string } = {}): Scanner {
  const rules = selectRules(config);
  const compiled = compileRules(rules);
  const problems: string[] = [];
  const allowSecrets = config.allow.regexes.flatMap((r) => compileRegex(r, '', `${config.path ?? 'config'}: allow.regexes`, problems) ?? []);
  if (problems.length > 0) throw new ConfigError(problems);
  const engine = new Engine(compiled, {
    allowSecrets,
    stopwords: config.allow.stopwords,
    ...(options.fingerprintKey === undefined ? {} : { fingerprintKey: options.fingerprintKey }),
  });
  const filters: FindingFilter[] = config.allow.paths.length > 0 ? [new PathAllowFilter(config.allow.paths)] : [];
  return { engine, filters, rules };
}
