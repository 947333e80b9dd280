import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { loadRuleDir } from '../rules/rule-loader.js';
import { maxMatchBytes } from './pattern-length.js';

describe('maxMatchBytes', () => {
  it('bounds counted, optional and alternated atoms at 4 bytes each', () => {
    expect(maxMatchBytes('ghp_[A-Za-z0-9]{36}')).toBe(4 * 40);
    expect(maxMatchBytes('(?i:ab|cde)f?')).toBe(4 * 4);
    expect(maxMatchBytes('\\b(AKIA[A-Z0-9]{16})\\b')).toBe(4 * 20);
    expect(maxMatchBytes('(?m)^x{2,5}$')).toBe(4 * 5);
    expect(maxMatchBytes('[]a-z]{3}\\x60\\pL')).toBe(4 * 5);
    expect(maxMatchBytes('(?P<v>[^\\s]{1,9})')).toBe(4 * 9);
  });

  it('is unbounded for *, + and {n,}, and for syntax it does not read', () => {
    for (const p of ['a*', 'a+b', 'x{3,}', '(a|b+)', '\\Qabc\\E', 'a)', '(a']) expect(maxMatchBytes(p), p).toBe(Number.POSITIVE_INFINITY);
  });

  it('is never below the length of a library rule example match', () => {
    for (const rule of loadRuleDir()) {
      const bound = maxMatchBytes(rule.pattern);
      const regex = new RE2(rule.pattern, 'g');
      for (const example of rule.examples) {
        const data = Buffer.from(example);
        regex.lastIndex = 0;
        for (let hit = regex.exec(data); hit !== null; hit = regex.exec(data)) expect(hit[0].length, rule.id).toBeLessThanOrEqual(bound);
      }
    }
  });
});
