import picomatch from 'picomatch';
import RE2 from 're2';
import { ConfigError } from '../errors.js';
import { CHECKSUMS, type ChecksumValidator } from '../rules/checksums.js';
import { ruleInfo, type RuleDefinition, type RuleInfo } from '../rules/rule.js';
import { maxMatchBytes } from './pattern-length.js';

/** A rule ready to run: RE2 pattern with byte-offset capture indices, allow-list, path scope, validator. */
export interface CompiledRule {
  readonly definition: RuleDefinition;
  readonly info: RuleInfo;
  /** The pattern as run: a leading `\b` before a literal is removed and checked by the engine instead. */
  readonly regex: RE2;
  /**
   * Set when the written pattern's leading context (`\b`, or `(?:^|[^…])`) was taken off for speed: whether
   * the byte before a match start (-1 at the start of the data) satisfies it (see `searchPattern`).
   */
  readonly leadingGuard?: (previous: number) => boolean;
  readonly allow: readonly RE2[];
  readonly appliesToPath: (path: string) => boolean;
  readonly checksum?: ChecksumValidator;
  /**
   * True when every match of every example contains one of the rule's keywords: the engine may then run
   * the rule only around the blocks where a keyword occurs instead of over a whole large chunk. Rules
   * that use a keyword as file-level context (a bare `SK…` key in a file that mentions Twilio) are false.
   */
  readonly keywordInMatch: boolean;
  /** Most bytes one match can span (see maxMatchBytes); Infinity when unbounded. */
  readonly maxLength: number;
}

/** Whether each match of each example holds a keyword (case-insensitive); see CompiledRule.keywordInMatch. */
export function keywordsInMatches(def: RuleDefinition, regex: RE2): boolean {
  if (def.examples.length === 0) return false;
  for (const example of def.examples) {
    const data = Buffer.from(example);
    regex.lastIndex = 0;
    for (let m = regex.exec(data); m !== null; m = regex.exec(data)) {
      if (m[0].length === 0) return false;
      const text = m[0].toString().toLowerCase();
      if (!def.keywords.some((k) => text.includes(k))) return false;
    }
  }
  regex.lastIndex = 0;
  return true;
}

/**
 * `\b(ghp_…` or `(?:^|[^A-Za-z0-9])(ion_…` keeps RE2 from finding the literal prefix with memchr (measured
 * ~10× slower on code). When a pattern starts with such a context and then a literal word character, the
 * engine searches without the context and checks the byte before each match itself, retrying one byte later
 * on a miss: the same matches, found at memchr speed.
 */
export function searchPattern(pattern: string): { readonly pattern: string; readonly leadingGuard?: (previous: number) => boolean } {
  let rest: string;
  let guard: (previous: number) => boolean;
  const excluded = /^\(\?:\^\|\[\^([^\]\\]+)\]\)/.exec(pattern);
  if (pattern.startsWith('\\b')) {
    rest = pattern.slice(2);
    guard = (previous) => !isWordByte(previous);
  } else if (excluded !== null) {
    rest = pattern.slice(excluded[0].length);
    const set = new RegExp(`^[${excluded[1] ?? ''}]$`);
    guard = (previous) => previous < 0 || previous >= 0x80 || !set.test(String.fromCharCode(previous));
  } else return { pattern };
  const head = rest.startsWith('(') && !rest.startsWith('(?') ? rest.slice(1) : rest;
  // Every way the match can begin must be a literal word character (`ghp_`, `(?:AKIA|ASIA)`), not optional.
  let starts = [head];
  if (head.startsWith('(?:')) {
    const close = head.indexOf(')');
    if (close < 0 || /[()[\]\\]/.test(head.slice(3, close))) return { pattern };
    starts = head.slice(3, close).split('|');
  }
  const literalStart = (alt: string): boolean => /^[A-Za-z0-9_](?![?*+{])/.test(alt);
  return starts.every(literalStart) ? { pattern: rest, leadingGuard: guard } : { pattern };
}

function isWordByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Compiles an RE2 pattern or records a problem naming where it came from. */
export function compileRegex(pattern: string, flags: string, where: string, problems: string[]): RE2 | undefined {
  try {
    return new RE2(pattern, flags);
  } catch (error) {
    problems.push(`${where}: pattern is not valid RE2: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Compiles a rule. With `lazy`, the RE2 pattern (and its allow patterns) is compiled the first time it is needed:
 * a few library patterns (PEM blocks with long counted repetitions) take ~100 ms each to compile, and a
 * pre-commit scan of one file should not pay for rules it never runs. Lazy is only for the shipped
 * library, whose patterns the rule-library test compiles; user rules are compiled (and checked) at once.
 */
export function compileRule(def: RuleDefinition, problems: string[], lazy = false): CompiledRule | undefined {
  const where = `${def.source}: rule ${def.id}`;
  const search = searchPattern(def.pattern);
  // Eager compilation checks the pattern as written (so errors quote it), then keeps the search form.
  let compiled = lazy ? undefined : compileRegex(def.pattern, 'gd', where, problems);
  if (!lazy && compiled === undefined) return undefined;
  if (compiled !== undefined && search.leadingGuard !== undefined) compiled = compileRegex(search.pattern, 'gd', where, problems);
  if (!/\((?!\?)|\(\?P?</.test(def.pattern)) {
    problems.push(`${where}: pattern needs a capture group around the secret`);
    return undefined;
  }
  // A user rule's screen is checked here, naming the rule; the library's are checked by its test, and the
  // prefilter compiles every screen into its Set anyway.
  if (!lazy && def.screen !== undefined) compileRegex(def.screen, '', `${where}: screen`, problems);
  // The library's allow patterns too wait for their rule's first match (183 of them: ~12 ms at every start).
  let allow = lazy ? undefined : compileAllow(def, where, problems);
  const pathMatchers = (def.paths ?? []).map((glob) => picomatch(glob, { dot: true, basename: !glob.includes('/') }));
  const checksum = def.checksum === undefined ? undefined : CHECKSUMS[def.checksum];
  let local: boolean | undefined;
  let maxLength: number | undefined;
  return {
    definition: def,
    info: ruleInfo(def),
    get regex(): RE2 {
      if (compiled === undefined) {
        const late: string[] = [];
        compiled = compileRegex(search.pattern, 'gd', where, late);
        if (compiled === undefined) throw new ConfigError(late);
      }
      return compiled;
    },
    ...(search.leadingGuard === undefined ? {} : { leadingGuard: search.leadingGuard }),
    get keywordInMatch(): boolean {
      // A screen is found inside every match (the library test checks the examples), like a keyword.
      local ??= def.screen !== undefined || (def.keywordInMatch ?? keywordsInMatches(def, this.regex));
      return local;
    },
    get maxLength(): number {
      maxLength ??= maxMatchBytes(search.pattern);
      return maxLength;
    },
    get allow(): readonly RE2[] {
      if (allow === undefined) {
        const late: string[] = [];
        allow = compileAllow(def, where, late);
        if (late.length > 0) throw new ConfigError(late);
      }
      return allow;
    },
    appliesToPath: pathMatchers.length === 0 ? () => true : (path) => pathMatchers.some((m) => m(path)),
    ...(checksum === undefined ? {} : { checksum }),
  };
}

function compileAllow(def: RuleDefinition, where: string, problems: string[]): RE2[] {
  const allow: RE2[] = [];
  for (const a of def.allow ?? []) {
    const re = compileRegex(a, '', `${where}: allow`, problems);
    if (re) allow.push(re);
  }
  return allow;
}

/** Compiles a whole rule set; throws one ConfigError listing every problem and duplicate id. */
export function compileRules(defs: readonly RuleDefinition[], options: { lazy?: (def: RuleDefinition) => boolean } = {}): CompiledRule[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const out: CompiledRule[] = [];
  for (const def of defs) {
    const first = seen.get(def.id);
    if (first !== undefined) problems.push(`${def.source}: rule ${def.id}: id already defined at ${first}`);
    seen.set(def.id, def.source);
    const rule = compileRule(def, problems, options.lazy?.(def) ?? false);
    if (rule) out.push(rule);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
