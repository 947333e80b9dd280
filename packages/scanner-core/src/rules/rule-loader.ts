import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import RE2 from 're2';
import { keywordsInMatches } from '../engine/compiled-rule.js';
import { ConfigError } from '../errors.js';
import { buildStamp, packageCacheFile, writeCacheFile } from '../package-cache.js';
import type { RuleDefinition } from './rule.js';
import { parseRuleFile } from './rule-schema.js';

/** The rule library shipped with leakguard (`rules/` at the repository root). */
export function defaultRulesDir(): string {
  return fileURLToPath(new URL('../../../../rules/', import.meta.url));
}

/** Loads and validates one rule file; throws a ConfigError listing every problem in it. */
export function loadRuleFile(path: string, displayPath = path): RuleDefinition[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${displayPath}: cannot read rule file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const { rules, problems } = parseRuleFile(text, displayPath);
  if (problems.length > 0) throw new ConfigError(problems);
  return rules;
}

/**
 * Loads every `*.yaml` in a directory, collecting the problems of all files before throwing.
 * Parsing a few hundred rules of YAML costs ~150 ms, too much for a pre-commit hook, so the validated
 * result is cached as JSON beside the package, keyed by each file's name, size and mtime, and by the build of
 * the schema reader itself (a new field such as `screen` must not be read from an older cache): this file
 * and its sibling, or in the CLI bundle the chunk holding both.
 */
export function loadRuleDir(dir: string = defaultRulesDir()): RuleDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const key = JSON.stringify([
    buildStamp([new URL(import.meta.url), new URL('./rule-schema.js', import.meta.url)]),
    files.map((f) => {
      const info = statSync(join(dir, f));
      return [f, info.size, info.mtimeMs];
    }),
  ]);
  // One cache per rules directory and per reader (the built one and the test runner's sources), so the two
  // do not overwrite each other's entry.
  const cachePath = packageCacheFile('rule-cache', `${dir}\0${import.meta.url}`, 'json');
  try {
    const cached = JSON.parse(readFileSync(cachePath, 'utf8')) as { key: string; rules: RuleDefinition[] };
    if (cached.key === key) return cached.rules;
  } catch {
    // no cache yet, or an unreadable one: parse the YAML
  }
  // The cache also carries what is costly to derive at every start: whether a rule's matches hold a keyword.
  const rules = parseRuleDir(dir, files).map((def) => ({ ...def, keywordInMatch: derivedKeywordInMatch(def) }));
  writeCacheFile(cachePath, JSON.stringify({ key, rules }));
  return rules;
}

function derivedKeywordInMatch(def: RuleDefinition): boolean {
  try {
    return keywordsInMatches(def, new RE2(def.pattern, 'gd'));
  } catch {
    return false; // an invalid pattern is reported, naming the rule, when it is compiled
  }
}

function parseRuleDir(dir: string, files: readonly string[]): RuleDefinition[] {
  const rules: RuleDefinition[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const display = relative(process.cwd(), path) || path;
    const parsed = parseRuleFile(readFileSync(path, 'utf8'), display.startsWith('..') ? `rules/${file}` : display);
    rules.push(...parsed.rules);
    problems.push(...parsed.problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return rules;
}
