import type { RuleDefinition } from '../rules/rule.js';

/** The effective configuration after reading `.leakguard.yaml` (or the defaults). */
export interface LeakguardConfig {
  /** Where it was read from, or undefined for built-in defaults. */
  readonly path?: string;
  /** `default` includes the shipped rule library; `none` only `rules.add`. */
  readonly extends: 'default' | 'none';
  readonly disable: readonly string[];
  readonly add: readonly RuleDefinition[];
  readonly allow: AllowConfig;
}

export interface AllowConfig {
  /** Globs on report paths; a finding in a matching path is dropped. */
  readonly paths: readonly string[];
  /** RE2 patterns on the secret value. */
  readonly regexes: readonly string[];
  /** Substrings; a secret containing one (case-insensitive) is dropped. */
  readonly stopwords: readonly string[];
}

export const DEFAULT_CONFIG: LeakguardConfig = {
  extends: 'default',
  disable: [],
  add: [],
  allow: { paths: [], regexes: [], stopwords: [] },
};
