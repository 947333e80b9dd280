import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import { loadRuleDir } from '../rules/rule-loader.js';
import { compileRules } from './compiled-rule.js';
import { Engine } from './engine.js';
import { KeywordPrefilter, keywordPattern } from './keyword-prefilter.js';
import { ADDON_FILE, DATABASE_FILE, NATIVE_BUILD_DIR, NativeKeywordLibrary, NOT_SELECTED } from './native-keywords.js';

// The native path is optional (scripts/build-native.mjs builds it when Hyperscan is installed); .ci/run
// installs Hyperscan and sets LEAKGUARD_REQUIRE_NATIVE=1, so there every comparison below is native
// against RE2.Set, not RE2.Set against itself.
const definitions = loadRuleDir();
const rules = compileRules(definitions);
const keywords = definitions.map((d) => d.keywords);
const screens = definitions.map((d) => d.screen);
const BLOCK = 8192;
/** What the engine's prefilter searches for the library: each rule's screen, or its keywords when it has none. */
const prefilterPatterns = [...new Set(definitions.flatMap((d) => (d.screen === undefined ? d.keywords.map(keywordPattern) : [d.screen])))];

function prefilters(kw: readonly (readonly string[])[] = keywords, sc: readonly (string | undefined)[] = screens) {
  return { native: new KeywordPrefilter(kw, sc), re2: new KeywordPrefilter(kw, sc, { native: false }) };
}

/** Every block start RE2.Set reports for a rule has a native one at most a block away, and the rules are the same. */
function expectCovering(native: KeywordPrefilter, re2: KeywordPrefilter, data: Buffer): void {
  const a = native.blocks(data, BLOCK);
  const b = re2.blocks(data, BLOCK);
  expect(a.rules()).toEqual(b.rules());
  for (const rule of b.rules()) {
    for (const [lo, hi] of b.regions(rule, 0, data.length, 0)) {
      for (let start = lo; start < hi; start += BLOCK) expect(a.occursIn(rule, Math.max(0, start - BLOCK), start + 2 * BLOCK), `rule ${rule} at ${start}`).toBe(true);
    }
  }
}

describe('NativeKeywordLibrary', () => {
  it('loads when built (and is built where LEAKGUARD_REQUIRE_NATIVE=1)', () => {
    const built = existsSync(`${NATIVE_BUILD_DIR}${ADDON_FILE}`) && existsSync(`${NATIVE_BUILD_DIR}${DATABASE_FILE}`);
    if (process.env['LEAKGUARD_REQUIRE_NATIVE'] === '1') expect(built).toBe(true);
    expect(NativeKeywordLibrary.load() !== undefined).toBe(built && process.env['LEAKGUARD_NATIVE_KEYWORDS'] !== '0');
  });

  it('holds every prefilter pattern of the rule library', () => {
    const library = NativeKeywordLibrary.load();
    if (library === undefined) return;
    const { native } = prefilters();
    expect(library.select(prefilterPatterns).leftover).toEqual([]);
    expect(native.blocks(Buffer.from('nothing here'), BLOCK).rules()).toEqual([]);
  });

  it('holds nothing else: each pattern is selected by the prefilter or the context prefilter', () => {
    const library = NativeKeywordLibrary.load();
    if (library === undefined) return;
    const context = rules.filter((r) => !r.keywordInMatch).flatMap((r) => r.definition.keywords.map(keywordPattern));
    const selected = new Set<number>();
    for (const patterns of [prefilterPatterns, context]) library.select(patterns).ids.forEach((use, id) => use >= 0 && selected.add(id));
    const { ids } = library.select([]);
    // Triggers (TRIGGER) are always in use; every other id must be somebody's pattern (a screened rule's keywords
    // are not: Hyperscan would report their matches for nobody).
    const unused = [...ids.keys()].filter((id) => ids[id] === NOT_SELECTED && !selected.has(id));
    expect(unused).toEqual([]);
  });
});

describe('KeywordPrefilter: the native database against RE2.Set', () => {
  const { native, re2 } = prefilters();

  it('finds the same rules, near the same blocks, in every rule example placed across block edges', () => {
    const examples = definitions.flatMap((d) => d.examples);
    for (const shift of [0, BLOCK - 3, BLOCK - 40, 2 * BLOCK - 1]) {
      const text = `${'x'.repeat(shift)}\n${examples.join('\n----- filler between examples -----\n')}\n`;
      expectCovering(native, re2, Buffer.from(text));
    }
  });

  it('gives the engine the same findings on every rule example', () => {
    const withNative = new Engine(rules);
    const withRe2 = new Engine(rules, { nativeKeywords: false });
    const examples = definitions.flatMap((d) => d.examples);
    const text = Buffer.from(`${'y'.repeat(BLOCK - 7)} ${examples.join('\n# next\n')}\n`);
    const describeAll = (engine: Engine) =>
      engine.scan(wholeChunk(text, { kind: 'file', path: 'examples.txt' })).map((f) => `${f.rule.id} ${f.location.line}:${f.location.column} ${f.fingerprint}`);
    const found = describeAll(withNative);
    expect(found.length).toBeGreaterThan(examples.length / 2);
    expect(found).toEqual(describeAll(withRe2));
  });

  it("sends text with RE2's non-ASCII case variants of keyword letters to RE2.Set (Kelvin sign, long s)", () => {
    // `sk-ant-api03-` with its s as U+017F and its k as U+212A: RE2's (?i) matches it, Hyperscan's byte mode does not.
    const variant = Buffer.from('x = "\u017F\u212A-ant-api03-AAAA"\n');
    const rule = definitions.findIndex((d) => d.keywords.includes('sk-ant-api03-'));
    expect(rule).toBeGreaterThanOrEqual(0);
    expect(re2.blocks(variant, BLOCK).rules()).toContain(rule);
    expect(native.blocks(variant, BLOCK).rules()).toEqual(re2.blocks(variant, BLOCK).rules());
  });

  it('searches keywords the library does not have with RE2.Set beside the database', () => {
    const custom = prefilters([...keywords, ['zq-custom-kw']], [...screens, undefined]);
    const data = Buffer.from(`${'z'.repeat(3 * BLOCK)} ZQ-Custom-KW and ghp_ here\n`);
    const rules = custom.native.blocks(data, BLOCK).rules();
    expect(rules).toContain(keywords.length);
    expectCovering(custom.native, custom.re2, data);
  });

  it('agrees with RE2.Set on random text made of keywords, their case variants and filler', () => {
    // Key names, operators and values as separate pieces, so this file holds no assignment for the self-scan.
    const pieces = [
      ...new Set(definitions.flatMap((d) => d.keywords).filter((_, i) => i % 7 === 0)),
      ...['password', 'token', 'contraseña', 'CONTRASEÑA', 'api_key', 'Key'],
      ...[' = ', ': ', '=', ' "', '"'],
      ...['Qwerty123', 'a1b2c3d4e5f6a7b8c9d0', 'abc123def456'],
      '\u212A',
      '\u017F',
      '\n',
      ' ',
    ];
    const piece = fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 40 }), fc.constantFrom(...pieces).map((p) => p.toUpperCase()));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.nat(2 * BLOCK), (parts, pad) => {
        expectCovering(native, re2, Buffer.from(`${'.'.repeat(pad)}${parts.join('')}`));
      }),
      { numRuns: 300 },
    );
  });
});
