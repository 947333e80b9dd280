import type { RuleDefinition, Severity } from '../rules/rule.js';

/** The effective configuration after reading `.leakguard.yaml` (or the defaults). Format: docs/config.md. */
export interface LeakguardConfig {
  /** Where it was read from, or undefined for built-in defaults. */
  readonly path?: string;
  /** `default` includes the shipped rule library; `none` only `rules.add`. */
  readonly extends: 'default' | 'none';
  readonly disable: readonly string[];
  readonly add: readonly RuleDefinition[];
  /** Per-rule changes, by rule id: entropy floor, severity, and an allow-list for that rule only. */
  readonly overrides?: Readonly<Record<string, RuleOverride>>;
  readonly allow: AllowConfig;
  readonly decode?: DecodeConfig;
  /** `file:line` of keys whose values are checked later (rule ids in `rules.disable`), for error messages. */
  readonly where?: Readonly<Record<string, string>>;
}

export interface AllowConfig {
  /** Globs on report paths; a finding in a matching path is dropped. */
  readonly paths: readonly string[];
  /** RE2 patterns on the secret value. */
  readonly regexes: readonly string[];
  /** RE2 patterns on the line that holds the secret (its first line, for multi-line secrets). */
  readonly lineRegexes?: readonly string[];
  /** Substrings; a secret containing one (case-insensitive) is dropped. */
  readonly stopwords: readonly string[];
}

export interface RuleOverride {
  /** Replaces the rule's `min_entropy` (may lower or raise it). */
  readonly minEntropy?: number;
  readonly severity?: Severity;
  /** Applies to this rule's findings only, on top of the global `allow`. */
  readonly allow?: AllowConfig;
  /** `file:line` of the override, for errors about its rule id. */
  readonly where?: string;
}

/** Decoding of base64/hex/URL/escape-encoded text before matching. */
export interface DecodeConfig {
  /** 0 turns decoding off; 2 also decodes what is encoded inside decoded text. */
  readonly depth: number;
  /** Budget of decoded bytes per chunk, so a file of base64 cannot blow up memory or time. */
  readonly maxBytes: number;
}

export const DEFAULT_DECODE: DecodeConfig = { depth: 2, maxBytes: 1024 * 1024 };

export const EMPTY_ALLOW: AllowConfig = { paths: [], regexes: [], lineRegexes: [], stopwords: [] };

export const DEFAULT_CONFIG: LeakguardConfig = {
  extends: 'default',
  disable: [],
  add: [],
  overrides: {},
  allow: EMPTY_ALLOW,
  decode: DEFAULT_DECODE,
};
