import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { ConfigError } from '../errors.js';
import { parseRule } from '../rules/rule-schema.js';
import type { RuleDefinition } from '../rules/rule.js';
import { FieldReader } from '../rules/yaml-fields.js';
import { DEFAULT_CONFIG, type LeakguardConfig } from './config.js';

export const CONFIG_FILE_NAMES = ['.leakguard.yaml', '.leakguard.yml'];

/** Walks up from `start` to the filesystem root looking for a config file. */
export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  if (existsSync(dir) && !isDirectory(dir)) dir = dirname(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads and validates a config file; every problem names the file, line and key. */
export function loadConfig(path: string): LeakguardConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot read config (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseConfig(text, path);
}

export function parseConfig(text: string, path: string): LeakguardConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: string[] = [];
  for (const error of doc.errors) {
    problems.push(`${path}:${error.linePos?.[0].line ?? 1}: invalid YAML: ${error.message.split('\n')[0] ?? ''}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (doc.contents === null) return { ...DEFAULT_CONFIG, path };
  if (!isMap(doc.contents)) throw new ConfigError([`${path}:1: the config is a YAML mapping`]);
  const top = new FieldReader(doc.contents, path, lines, problems);
  for (const key of top.keys()) if (!['extends', 'rules', 'allow'].includes(key)) top.problem(key, 'unknown key');
  const ext = top.string('extends', false) ?? 'default';
  if (ext !== 'default' && ext !== 'none') top.problem('extends', 'must be "default" or "none"');

  let disable: string[] = [];
  const add: RuleDefinition[] = [];
  const rulesNode = doc.contents.get('rules', true);
  if (rulesNode !== undefined) {
    if (!isMap(rulesNode)) top.problem('rules', 'must be a mapping with disable and/or add');
    else {
      const rules = new FieldReader(rulesNode, path, lines, problems);
      for (const key of rules.keys()) if (!['disable', 'add'].includes(key)) rules.problem(key, 'unknown key under rules');
      disable = rules.strings('disable', false) ?? [];
      const addNode = rulesNode.get('add', true);
      if (addNode !== undefined) {
        if (!isSeq(addNode)) rules.problem('add', 'must be a list of rules');
        else addNode.items.forEach((item, i) => {
          if (isMap(item)) {
            const rule = parseRule(item as YAMLMap, path, lines, problems, i);
            if (rule) add.push(rule);
          } else rules.problem('add', `entry #${i + 1} must be a rule mapping`);
        });
      }
    }
  }
  let allow = DEFAULT_CONFIG.allow;
  const allowNode = doc.contents.get('allow', true);
  if (allowNode !== undefined) {
    if (!isMap(allowNode)) top.problem('allow', 'must be a mapping');
    else {
      const a = new FieldReader(allowNode, path, lines, problems);
      for (const key of a.keys()) if (!['paths', 'regexes', 'stopwords'].includes(key)) a.problem(key, 'unknown key under allow');
      allow = { paths: a.strings('paths', false) ?? [], regexes: a.strings('regexes', false) ?? [], stopwords: a.strings('stopwords', false) ?? [] };
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { path, extends: ext as 'default' | 'none', disable, add, allow };
}
