/** Severity of a rule, mapped to SARIF `security-severity` by the reporters. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** A negative example: text the rule must not report, and why. */
export interface NegativeExample {
  readonly text: string;
  readonly reason: string;
}

/** A rule as written in `rules/*.yaml` (after schema validation). */
export interface RuleDefinition {
  readonly id: string;
  readonly provider: string;
  readonly description: string;
  readonly pattern: string;
  readonly keywords: readonly string[];
  /**
   * An RE2 pattern found inside every match (a key name and its assignment operator), which the prefilter
   * looks for instead of the keywords: for generic rules whose keywords (`token`, `key`) are in every source
   * file, it decides in the same pass which few places can match at all.
   */
  readonly screen?: string;
  readonly minEntropy?: number;
  readonly checksum?: string;
  readonly paths?: readonly string[];
  readonly allow?: readonly string[];
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly references: readonly string[];
  /** Generic rules (no vendor prefix) get the placeholder and word-list filters. */
  readonly generic: boolean;
  readonly examples: readonly string[];
  readonly negativeExamples: readonly NegativeExample[];
  /** Derived when the library cache is built (see CompiledRule.keywordInMatch); absent in YAML. */
  readonly keywordInMatch?: boolean;
  /** Where the rule was defined, for error messages: `rules/github.yaml`. */
  readonly source: string;
}

/** The public face of a rule that findings and reporters carry: metadata, never the pattern internals. */
export interface RuleInfo {
  readonly id: string;
  readonly provider: string;
  readonly description: string;
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly references: readonly string[];
}

export function ruleInfo(def: RuleDefinition): RuleInfo {
  return {
    id: def.id,
    provider: def.provider,
    description: def.description,
    severity: def.severity,
    tags: def.tags,
    references: def.references,
  };
}
