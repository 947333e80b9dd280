import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LineCounter, YAMLMap } from 'yaml';
import { isMap, isSeq, newLineCounter, parseDocument } from '../yaml-lazy.js';
import { ConfigError } from '../errors.js';
import { cachedConfig, storeConfig } from './config-cache.js';
import { parseRule } from '../rules/rule-schema.js';
import type { RuleDefinition } from '../rules/rule.js';
import { FieldReader } from '../rules/yaml-fields.js';
import { DEFAULT_CONFIG, DEFAULT_DECODE, type LeakguardConfig, type RuleOverride } from './config.js';
import { readAllow, readDecode, readOverrides, type ConfigContext } from './config-sections.js';

export const CONFIG_FILE_NAMES = ['.leakguard.yaml', '.leakguard.yml'];
const TOP_KEYS = ['extends', 'rules', 'allow', 'decode'];
const RULES_KEYS = ['disable', 'add', 'overrides'];

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
  const cached = cachedConfig(path, text);
  if (cached !== undefined) return cached;
  const config = parseConfig(text, path);
  storeConfig(path, text, config);
  return config;
}

export function parseConfig(text: string, path: string): LeakguardConfig {
  const lines = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  for (const error of doc.errors) {
    problems.push(`${path}:${error.linePos?.[0].line ?? lines.linePos(error.pos[0]).line}: invalid YAML: ${error.message.split('\n')[0] ?? ''}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (doc.contents === null) return { ...DEFAULT_CONFIG, path };
  if (!isMap(doc.contents)) throw new ConfigError([`${path}:1: the config is a YAML mapping`]);
  const ctx: ConfigContext = { path, lines, problems };
  const top = new FieldReader(doc.contents, path, lines, problems);
  for (const key of top.keys()) if (!TOP_KEYS.includes(key)) top.problem(key, `unknown key (known: ${TOP_KEYS.join(', ')})`);
  const ext = top.string('extends', false) ?? 'default';
  if (ext !== 'default' && ext !== 'none') top.problem('extends', 'must be "default" or "none"');

  const rules = readRules(doc.contents.get('rules', true), ctx, top);
  const allowNode = doc.contents.get('allow', true);
  const allow = allowNode === undefined ? undefined : readAllow(allowNode, 'allow', ctx, top, 'allow');
  const decodeNode = doc.contents.get('decode', true);
  const decode = decodeNode === undefined ? DEFAULT_DECODE : readDecode(decodeNode, ctx, top);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    path,
    extends: ext as 'default' | 'none',
    disable: rules.disable,
    add: rules.add,
    overrides: rules.overrides,
    allow: allow ?? DEFAULT_CONFIG.allow,
    decode,
    where: rules.where,
  };
}

interface RulesSection {
  disable: string[];
  add: RuleDefinition[];
  overrides: Record<string, RuleOverride>;
  where: Record<string, string>;
}

function readRules(node: unknown, ctx: ConfigContext, top: FieldReader): RulesSection {
  const out: RulesSection = { disable: [], add: [], overrides: {}, where: {} };
  if (node === undefined) return out;
  if (!isMap(node)) {
    top.problem('rules', `must be a mapping with ${RULES_KEYS.join(', ')}`);
    return out;
  }
  const rules = new FieldReader(node, ctx.path, ctx.lines, ctx.problems);
  for (const key of rules.keys()) if (!RULES_KEYS.includes(key)) rules.problem(key, `unknown key under rules (known: ${RULES_KEYS.join(', ')})`);
  out.disable = rules.strings('disable', false) ?? [];
  if (rules.has('disable')) out.where['rules.disable'] = `${ctx.path}:${rules.lineOf('disable')}`;
  const addNode = node.get('add', true);
  if (addNode !== undefined) {
    if (!isSeq(addNode)) rules.problem('add', 'must be a list of rules');
    else addNode.items.forEach((item, i) => {
      if (isMap(item)) {
        const rule = parseRule(item as YAMLMap, ctx.path, ctx.lines, ctx.problems, i);
        if (rule) out.add.push(rule);
      } else rules.problem('add', `entry #${i + 1} must be a rule mapping`);
    });
  }
  const overridesNode = node.get('overrides', true);
  if (overridesNode !== undefined) out.overrides = readOverrides(overridesNode, ctx, rules);
  return out;
}
