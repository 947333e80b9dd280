import type { RuleDefinition } from '../rules/rule.js';
import { keywordPattern, SCREEN_OVERLAP } from './keyword-prefilter.js';
import { databaseDigest, type KeywordLibraryIndex, type KeywordScannerAddon } from './native-keywords.js';

/** Hyperscan's compile flags (hs_compile.h). */
const HS_FLAG_CASELESS = 1;

interface Expression {
  /** The prefilter pattern it stands for (RE2 syntax). */
  readonly pattern: string;
  readonly expression: string;
  readonly flags: number;
  readonly width: number;
}

/**
 * Compiles the rule library's prefilter patterns (each rule's screen, or its keywords when it has none) into a Hyperscan
 * database (see NativeKeywordLibrary). A pattern Hyperscan cannot hold with RE2's meaning is left out, and
 * stays on RE2.Set: a non-ASCII character inside a class (byte mode would read its bytes one by one), or one
 * whose case variant is ASCII, or one Hyperscan does not compile.
 */
export function compileKeywordLibrary(addon: KeywordScannerAddon, rules: readonly RuleDefinition[]): { database: Buffer; index: KeywordLibraryIndex } {
  // Prefilter pattern → the keyword it was made from (undefined for a screen). A rule's screen replaces its
  // keywords in both of the engine's prefilters (see KeywordPrefilter, CompiledRule.keywordInMatch), so those
  // keywords stay out: Hyperscan would report every match of `value`, `db` or `api` for nobody (2.4 of the
  // image text's 2.44 million matches, a third of the pass).
  const patterns = new Map<string, string | undefined>();
  for (const rule of rules) if (rule.screen === undefined) for (const keyword of rule.keywords) patterns.set(keywordPattern(keyword), keyword);
  for (const rule of rules) if (rule.screen !== undefined && !patterns.has(rule.screen)) patterns.set(rule.screen, undefined);
  const folds = new CaseVariants();
  let expressions = [...patterns].map(([p, keyword]) => toExpression(p, keyword, folds)).filter((e): e is Expression => e !== undefined);
  const triggerSet = new Set<string>();
  for (const c of 'abcdefghijklmnopqrstuvwxyz') for (const v of folds.variants(c)) triggerSet.add(v);
  for (const e of expressions) for (const c of nonAscii(e.pattern)) for (const v of folds.variants(c)) triggerSet.add(v);
  const triggers = [...triggerSet].sort().map((t) => ({ expression: bytesExpression(t), width: Buffer.byteLength(t) }));
  for (;;) {
    try {
      const database = addon.compile(
        [...expressions.map((e) => e.expression), ...triggers.map((t) => t.expression)],
        [...expressions.map((e) => e.flags), ...triggers.map(() => 0)],
      );
      const index: KeywordLibraryIndex = {
        hyperscan: addon.version(),
        patterns: [...expressions.map((e) => e.pattern), ...triggers.map(() => '')],
        widths: [...expressions.map((e) => e.width), ...triggers.map((t) => t.width)],
        triggerFrom: expressions.length,
        database: databaseDigest(database),
      };
      return { database, index };
    } catch (error) {
      // "keyword-scanner: pattern N: …": leave that one to RE2.Set and compile the rest.
      const failed = /pattern (\d+):/.exec(String(error))?.[1];
      const at = failed === undefined ? -1 : Number(failed);
      if (at < 0 || at >= expressions.length) throw error;
      expressions = expressions.filter((_, i) => i !== at);
    }
  }
}

/** `keyword`: the literal a keyword pattern was made from (`(?i)` and its escaped text, see keywordPattern). */
function toExpression(pattern: string, keyword: string | undefined, folds: CaseVariants): Expression | undefined {
  for (const c of nonAscii(pattern)) if (folds.variants(c).some((v) => v.charCodeAt(0) < 0x80)) return undefined;
  if (keyword !== undefined) return { pattern, expression: pattern.slice('(?i)'.length), flags: HS_FLAG_CASELESS, width: Buffer.byteLength(keyword) };
  if (nonAsciiInClass(pattern)) return undefined;
  return { pattern, expression: pattern, flags: 0, width: SCREEN_OVERLAP };
}

/** Whether a non-ASCII character occurs inside a character class `[…]`. */
function nonAsciiInClass(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') i++;
    else if (!inClass && c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a leading `]` is a member
    } else if (inClass && c === ']') inClass = false;
    else if (inClass && c.charCodeAt(0) >= 0x80) return true;
  }
  return false;
}

function nonAscii(text: string): string[] {
  return [...text].filter((c) => c.charCodeAt(0) >= 0x80);
}

/** A byte-mode expression matching exactly the UTF-8 bytes of `text`. */
function bytesExpression(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/**
 * The other characters RE2's case folding may take for a character, over-approximated: every code point
 * whose lower or upper case equals the character's (RE2 folds by Unicode's simple case folding, whose
 * classes these contain). Over-approximating only sends more buffers to RE2.Set.
 */
class CaseVariants {
  #byLower: Map<string, string[]> | undefined;
  #byUpper: Map<string, string[]> | undefined;

  variants(c: string): string[] {
    if (this.#byLower === undefined || this.#byUpper === undefined) {
      this.#byLower = new Map();
      this.#byUpper = new Map();
      for (let cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        const ch = String.fromCodePoint(cp);
        const lower = ch.toLowerCase();
        const upper = ch.toUpperCase();
        if (lower !== ch || upper !== ch) {
          push(this.#byLower, lower, ch);
          push(this.#byUpper, upper, ch);
        }
      }
    }
    const out = new Set([...(this.#byLower.get(c.toLowerCase()) ?? []), ...(this.#byUpper.get(c.toUpperCase()) ?? [])]);
    out.add(c.toLowerCase());
    out.add(c.toUpperCase());
    out.delete(c);
    return [...out].filter((v) => [...v].length === 1 && (c.charCodeAt(0) >= 0x80 || v.charCodeAt(0) >= 0x80));
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}
