import type { LeakguardConfig } from './config/config.js';
import { DEFAULT_CONFIG, DEFAULT_DECODE } from './config/config.js';
import { applyOverrides } from './config/rule-overrides.js';
import { compileRules } from './engine/compiled-rule.js';
import { Engine } from './engine/engine.js';
import { ConfigError } from './errors.js';
import { AllowFilter } from './filters/allow-filter.js';
import type { FindingFilter } from './filters/finding-filter.js';
import { InlineIgnoreFilter } from './filters/inline-ignore-filter.js';
import { loadRuleDir } from './rules/rule-loader.js';
import type { RuleDefinition } from './rules/rule.js';

export interface Scanner {
  readonly engine: Engine;
  readonly filters: readonly FindingFilter[];
  readonly rules: readonly RuleDefinition[];
}

export interface ScannerOptions {
  readonly fingerprintKey?: string;
  /** Honour `leakguard:allow` and the other inline markers (default true; `--no-inline-ignores` for audits). */
  readonly inlineIgnores?: boolean;
  /** Clock for offline checks (JWT expiry). */
  readonly now?: () => number;
}

/**
 * The rule definitions a config selects: the library (unless `extends: none`), minus disabled, plus added,
 * with `rules.overrides` applied.
 */
export function selectRules(config: LeakguardConfig, library?: readonly RuleDefinition[]): RuleDefinition[] {
  const base = config.extends === 'none' ? [] : (library ?? loadRuleDir());
  const known = new Set([...base, ...config.add].map((r) => r.id));
  const where = config.where?.['rules.disable'] ?? config.path ?? 'config';
  const problems = config.disable.filter((id) => !known.has(id)).map((id) => `${where}: rules.disable: no rule with id "${id}"`);
  const disabled = new Set(config.disable);
  const selected = applyOverrides([...base.filter((r) => !disabled.has(r.id)), ...config.add], config.overrides ?? {});
  problems.push(...selected.problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return selected.rules;
}

/** Builds the engine and filters for a config. Throws ConfigError listing every problem. */
export function createScanner(config: LeakguardConfig = DEFAULT_CONFIG, options: ScannerOptions = {}): Scanner {
  const rules = selectRules(config);
  const userRules = new Set(config.add.map((r) => r.id));
  const compiled = compileRules(rules, { lazy: (def) => !userRules.has(def.id) });
  const engine = new Engine(compiled, {
    decode: config.decode ?? DEFAULT_DECODE,
    ...(options.fingerprintKey === undefined ? {} : { fingerprintKey: options.fingerprintKey }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Allow-lists run after overlap resolution (an allowed vendor secret is not then claimed by a generic
  // rule); inline markers after them, so the summary counts each suppression under its first reason.
  const filters: FindingFilter[] = [];
  const allow = new AllowFilter(config.allow, config.overrides ?? {});
  if (!allow.empty) filters.push(allow);
  if (options.inlineIgnores !== false) filters.push(new InlineIgnoreFilter());
  return { engine, filters, rules };
}
