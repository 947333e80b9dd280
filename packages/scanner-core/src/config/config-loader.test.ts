import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { createScanner } from '../scanner.js';
import { printConfig } from './config-print.js';
import { parseConfig, loadConfig } from './config-loader.js';
import { parse } from 'yaml';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function problemsOf(text: string): string[] {
  try {
    createScanner(parseConfig(text, 'cfg.yaml'));
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('.leakguard.yaml', () => {
  const full = [
    'extends: default', //                                  1
    'rules:', //                                            2
    '  disable: [github.oauth-token]', //                   3
    '  overrides:', //                                      4
    '    github.pat-classic:', //                           5
    '      min_entropy: 4.5', //                            6
    '      severity: medium', //                            7
    '      allow:', //                                      8
    "        paths: ['test/**']", //                        9
    "        line_regexes: ['example\\.com']", //          10
    'allow:', //                                           11
    "  paths: ['vendor/**']", //                           12
    "  regexes: ['^ghp_0000']", //                         13
    "  line_regexes: ['(?i)fixture']", //                  14
    '  stopwords: [dummy]', //                             15
    'decode:', //                                          16
    '  depth: 1', //                                       17
    '  max_bytes: 4096', //                                18
  ].join('\n');

  it('reads overrides, allow-lists on the secret and the line, and decode settings', () => {
    const config = parseConfig(full, 'cfg.yaml');
    expect(config.overrides?.['github.pat-classic']).toMatchObject({
      minEntropy: 4.5,
      severity: 'medium',
      allow: { paths: ['test/**'], lineRegexes: ['example\\.com'] },
      where: 'cfg.yaml:5',
    });
    expect(config.allow).toEqual({ paths: ['vendor/**'], regexes: ['^ghp_0000'], lineRegexes: ['(?i)fixture'], stopwords: ['dummy'] });
    expect(config.decode).toEqual({ depth: 1, maxBytes: 4096 });
    const rule = createScanner(config).rules.find((r) => r.id === 'github.pat-classic');
    expect(rule).toMatchObject({ minEntropy: 4.5, severity: 'medium' });
  });

  it('collects every problem, each naming file, line and key', () => {
    const bad = [
      'extends: everything', //                           1
      'rules:', //                                        2
      '  disable: [no.such-rule]', //                     3
      '  overides: {}', //                                4
      '  overrides:', //                                  5
      '    github.pat-classic:', //                       6
      '      min_entropy: 12', //                         7
      '      severity: urgent', //                        8
      '      alow: {}', //                                9
      '    nope.rule:', //                               10
      '      min_entropy: 3', //                         11
      'allow:', //                                       12
      "  regexes: ['(a(?=b))']", //                      13
      "  line_regexes: [ok, '(unclosed']", //           14
      '  stopword: [x]', //                              15
      'decode: { depth: 3 }', //                         16
      'colour: true', //                                 17
    ].join('\n');
    const problems = problemsOf(bad);
    const loaderProblems = (() => {
      try {
        parseConfig(bad, 'cfg.yaml');
        return [];
      } catch (error) {
        return [...(error as ConfigError).problems];
      }
    })();
    expect(loaderProblems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cfg\.yaml:1: extends: must be "default" or "none"/),
        expect.stringMatching(/^cfg\.yaml:4: overides: unknown key under rules/),
        expect.stringMatching(/^cfg\.yaml:7: min_entropy: must be a number from 0 to 8/),
        expect.stringMatching(/^cfg\.yaml:8: severity: must be one of/),
        expect.stringMatching(/^cfg\.yaml:9: alow: unknown key under rules\.overrides\.github\.pat-classic/),
        expect.stringMatching(/^cfg\.yaml:13: allow\.regexes\[0\]: not valid RE2/),
        expect.stringMatching(/^cfg\.yaml:14: allow\.line_regexes\[1\]: not valid RE2/),
        expect.stringMatching(/^cfg\.yaml:15: stopword: unknown key under allow/),
        expect.stringMatching(/^cfg\.yaml:16: depth: must be a number from 0 to 2/),
        expect.stringMatching(/^cfg\.yaml:17: colour: unknown key/),
      ]),
    );
    expect(loaderProblems).toHaveLength(10);
    // Rule ids are checked against the rules in effect once the loader's problems are fixed.
    expect(problemsOf('rules:\n  disable: [no.such-rule]\n  overrides:\n    nope.rule: { min_entropy: 3 }\n')).toEqual([
      'cfg.yaml:2: rules.disable: no rule with id "no.such-rule"',
      'cfg.yaml:4: rules.overrides: no rule with id "nope.rule" in effect',
    ]);
    expect(problems.length).toBeGreaterThan(0);
  });

  it('rejects duplicate keys and a non-mapping override', () => {
    expect(problemsOf('allow:\n  paths: [a]\nallow:\n  paths: [b]\n')[0]).toMatch(/^cfg\.yaml:3: invalid YAML: Map keys must be unique/);
    expect(problemsOf('rules:\n  overrides:\n    github.pat-classic: 4\n')).toEqual([
      'cfg.yaml:3: github.pat-classic: rules.overrides.github.pat-classic must be a mapping with min_entropy, severity, allow',
    ]);
  });

  it('prints the effective config as YAML that loads back to the same config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-config-'));
    const config = parseConfig(full, 'cfg.yaml');
    const printed = printConfig(config, 42);
    expect(printed).toMatch(/^# effective leakguard config from cfg\.yaml\n# 42 rules in effect\n/);
    expect(parse(printed)).toMatchObject({ rules: { overrides: { 'github.pat-classic': { min_entropy: 4.5, allow: { line_regexes: ['example\\.com'] } } } } });
    writeFileSync(join(dir, 'again.yaml'), printed);
    const again = loadConfig(join(dir, 'again.yaml'));
    expect({ ...again, path: undefined, where: undefined, overrides: { ...again.overrides, 'github.pat-classic': { ...again.overrides?.['github.pat-classic'], where: undefined } } }).toEqual({
      ...config,
      path: undefined,
      where: undefined,
      overrides: { 'github.pat-classic': { ...config.overrides?.['github.pat-classic'], where: undefined } },
    });
  });
});
