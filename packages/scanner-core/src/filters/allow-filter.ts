import picomatch from 'picomatch';
import type RE2 from 're2';
import type { AllowConfig, RuleOverride } from '../config/config.js';
import { compileRegex } from '../engine/compiled-rule.js';
import { ConfigError } from '../errors.js';
import type { Finding } from '../finding.js';
import type { FindingContext, FindingFilter } from './finding-filter.js';
import { findingLines } from './finding-line.js';

/** One allow-list compiled: any matching test drops the finding. */
class CompiledAllow {
  readonly #paths: readonly ((path: string) => boolean)[];
  readonly #secrets: readonly RE2[];
  readonly #lines: readonly RE2[];
  readonly #stopwords: readonly string[];

  constructor(allow: AllowConfig, where: string, problems: string[]) {
    this.#paths = allow.paths.map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
    this.#secrets = allow.regexes.flatMap((r) => compileRegex(r, '', `${where}.regexes`, problems) ?? []);
    this.#lines = (allow.lineRegexes ?? []).flatMap((r) => compileRegex(r, '', `${where}.line_regexes`, problems) ?? []);
    this.#stopwords = allow.stopwords.map((w) => w.toLowerCase());
  }

  get empty(): boolean {
    return this.#paths.length + this.#secrets.length + this.#lines.length + this.#stopwords.length === 0;
  }

  allows(finding: Finding, context: FindingContext): boolean {
    const path = finding.origin.path.replace(/^\.\//, '');
    if (this.#paths.some((m) => m(path))) return true;
    if (this.#secrets.length + this.#stopwords.length > 0) {
      // Compared, never printed: the allow-list is the one filter that must look at the value.
      const value = finding.secret.reveal();
      if (this.#secrets.some((r) => r.test(value))) return true;
      const lower = value.toLowerCase();
      if (this.#stopwords.some((w) => lower.includes(w))) return true;
    }
    if (this.#lines.length > 0) {
      const line = findingLines(finding, context)?.line;
      if (line !== undefined && this.#lines.some((r) => r.test(line))) return true;
    }
    return false;
  }
}

/**
 * The config's allow-lists: the global `allow:` for every finding, and `rules.overrides.<id>.allow` for
 * that rule's findings only. Applied after overlap resolution, so an allowed vendor secret is not then
 * reported by a generic rule that matched the same bytes.
 */
export class AllowFilter implements FindingFilter {
  readonly name = 'allowlist';
  readonly #global: CompiledAllow;
  readonly #byRule: ReadonlyMap<string, CompiledAllow>;

  /** Throws ConfigError listing every pattern RE2 cannot compile (the config loader reports them first, with lines). */
  constructor(global: AllowConfig, overrides: Readonly<Record<string, RuleOverride>> = {}) {
    const problems: string[] = [];
    this.#global = new CompiledAllow(global, 'allow', problems);
    const byRule = new Map<string, CompiledAllow>();
    for (const [id, o] of Object.entries(overrides)) {
      if (o.allow !== undefined) byRule.set(id, new CompiledAllow(o.allow, `rules.overrides.${id}.allow`, problems));
    }
    if (problems.length > 0) throw new ConfigError(problems);
    this.#byRule = byRule;
  }

  /** True when nothing is allow-listed (the scanner then leaves the filter out). */
  get empty(): boolean {
    return this.#global.empty && [...this.#byRule.values()].every((a) => a.empty);
  }

  keep(finding: Finding, context: FindingContext): boolean {
    if (this.#global.allows(finding, context)) return false;
    return !(this.#byRule.get(finding.rule.id)?.allows(finding, context) ?? false);
  }
}
