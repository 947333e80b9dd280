import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { loadRuleDir } from '../rules/rule-loader.js';
import { screenPattern } from './screen-pattern.js';

describe('screenPattern', () => {
  it('turns counted repetitions outside classes into * or +', () => {
    expect(screenPattern('a{0,4}b{2,9}c{3}d{1,}')).toBe('a*b+c+d+');
    expect(screenPattern('[{}]{1,3}x')).toBe('[{}]+x');
    expect(screenPattern('\\{2,3\\}')).toBe('\\{2,3\\}');
    expect(screenPattern('[]{1,2}]z{0,1}')).toBe('[]{1,2}]z*');
    expect(screenPattern('[^]{2}]q')).toBe('[^]{2}]q');
  });

  it('matches every example of every library rule that the rule itself matches', () => {
    for (const rule of loadRuleDir()) {
      const screen = new RE2(screenPattern(rule.pattern));
      for (const example of rule.examples) expect(screen.test(Buffer.from(example)), `${rule.id}: ${screenPattern(rule.pattern)}`).toBe(true);
    }
  });
});
