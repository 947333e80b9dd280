import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
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

/** Loads every `*.yaml` in a directory, collecting the problems of all files before throwing. */
export function loadRuleDir(dir: string = defaultRulesDir()): RuleDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
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
