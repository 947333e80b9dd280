import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import { compileRule, compileRules } from '../engine/compiled-rule.js';
import { Engine } from '../engine/engine.js';
import { examplePathFor } from '../testing/example-path.js';
import { defaultRulesDir } from './rule-loader.js';
import { parseRuleFile } from './rule-schema.js';
import type { RuleDefinition } from './rule.js';

const dir = defaultRulesDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const all: RuleDefinition[] = [];
for (const file of files) all.push(...parseRuleFile(readFileSync(join(dir, file), 'utf8'), `rules/${file}`).rules);
const fullEngine = new Engine(compileRules(all));

function scanWith(engine: Engine, text: string, path: string) {
  return engine.scan(wholeChunk(Buffer.from(text), { kind: 'file', path }));
}

describe('rule library', () => {
  it.each(files)('%s passes the schema', (file) => {
    const { problems } = parseRuleFile(readFileSync(join(dir, file), 'utf8'), `rules/${file}`);
    expect(problems).toEqual([]);
  });

  it('has unique ids that all compile', () => {
    const ids = all.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => compileRules(all)).not.toThrow();
  });

  describe.each(all.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    const problems: string[] = [];
    const compiled = compileRule(rule, problems);
    const alone = compiled ? new Engine([compiled]) : undefined;
    const path = examplePathFor(rule.paths);

    it('compiles in RE2 with a capture group', () => {
      expect(problems).toEqual([]);
    });

    it.each(rule.examples.map((e, i) => [i, e] as const))('finds example %i', (_i, example) => {
      const own = scanWith(alone!, example, path).map((f) => f.rule.id);
      expect(own).toContain(rule.id);
      expect(scanWith(fullEngine, example, path).length).toBeGreaterThan(0);
    });

    const screenText = rule.screen;
    if (screenText !== undefined) it('has a screen that matches inside every example match', () => {
      const screen = new RE2(screenText);
      const regex = new RE2(rule.pattern, 'g');
      for (const example of rule.examples) {
        const data = Buffer.from(example);
        regex.lastIndex = 0;
        let matched = 0;
        for (let m = regex.exec(data); m !== null; m = regex.exec(data)) {
          if (m.slice(1).every((g) => g === undefined)) continue; // a non-capturing exclusion alternative
          matched++;
          expect(screen.test(m[0]), `${rule.id}: ${example}`).toBe(true);
        }
        expect(matched).toBeGreaterThan(0);
      }
    });

    it.each(rule.negativeExamples.map((n) => [n.reason, n.text] as const))('ignores negative (%s)', (_reason, text) => {
      expect(scanWith(alone!, text, path).map((f) => f.rule.id)).not.toContain(rule.id);
    });
  });
});
