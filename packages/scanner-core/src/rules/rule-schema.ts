import type { LineCounter, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq, newLineCounter, parseDocument } from '../yaml-lazy.js';
import { CHECKSUMS } from './checksums.js';
import { SEVERITIES, type NegativeExample, type RuleDefinition, type Severity } from './rule.js';
import { FieldReader } from './yaml-fields.js';

const RULE_KEYS = new Set([
  'id', 'provider', 'description', 'pattern', 'keywords', 'screen', 'min_entropy', 'checksum', 'paths', 'allow',
  'severity', 'tags', 'references', 'generic', 'examples', 'negative_examples',
]);
const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface ParsedRules {
  readonly rules: RuleDefinition[];
  readonly problems: string[];
}

/**
 * Parses one rule file's text into definitions. Every problem is collected (not thrown) as
 * `file:line: rule <id>: field: message`, so a user sees all mistakes in one run.
 * Pattern compilation is checked later by `compileRule`, which also names file, line and id.
 */
export function parseRuleFile(text: string, source: string): ParsedRules {
  const lines = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  for (const error of doc.errors) {
    const pos = error.linePos?.[0];
    problems.push(`${source}:${pos?.line ?? 1}: invalid YAML: ${error.message.split('\n')[0] ?? ''}`);
  }
  if (problems.length > 0) return { rules: [], problems };
  const root = doc.contents;
  if (root === null) return { rules: [], problems };
  if (!isSeq(root)) {
    problems.push(`${source}:1: a rule file is a YAML list of rules`);
    return { rules: [], problems };
  }
  const rules: RuleDefinition[] = [];
  root.items.forEach((item, index) => {
    if (!isMap(item)) {
      const start = (item as { range?: number[] } | null)?.range?.[0] ?? 0;
      problems.push(`${source}:${lines.linePos(start).line}: rule #${index + 1} must be a mapping`);
      return;
    }
    const rule = parseRule(item, source, lines, problems, index);
    if (rule) rules.push(rule);
  });
  return { rules, problems };
}

/** Parses one rule mapping (also used for `rules.add` in user configs). */
export function parseRule(
  map: YAMLMap,
  source: string,
  lines: LineCounter,
  problems: string[],
  index: number,
): RuleDefinition | undefined {
  const idNode = map.get('id', true);
  const idText = isScalar(idNode) && typeof idNode.value === 'string' ? idNode.value : `#${index + 1}`;
  const before = problems.length;
  const local: string[] = [];
  const f = new FieldReader(map, source, lines, local);

  for (const key of f.keys()) if (!RULE_KEYS.has(key)) f.problem(key, 'unknown field');
  const id = f.string('id', true);
  if (id !== undefined && !ID_PATTERN.test(id)) f.problem('id', 'must look like provider.kind in kebab-case');
  const description = f.string('description', true);
  const pattern = f.string('pattern', true);
  const keywords = f.strings('keywords', true);
  if (keywords?.length === 0) f.problem('keywords', 'needs at least one keyword');
  for (const k of keywords ?? []) if (k !== k.toLowerCase()) f.problem('keywords', `"${k}" must be lower-case`);
  const screen = f.string('screen', false);
  const minEntropy = f.number('min_entropy', 0, 8);
  const checksum = f.string('checksum', false);
  if (checksum !== undefined && !(checksum in CHECKSUMS)) {
    f.problem('checksum', `unknown validator "${checksum}" (known: ${Object.keys(CHECKSUMS).join(', ')})`);
  }
  const severityText = f.string('severity', true);
  if (severityText !== undefined && !SEVERITIES.includes(severityText as Severity)) {
    f.problem('severity', `must be one of ${SEVERITIES.join(', ')}`);
  }
  const examples = f.strings('examples', true) ?? [];
  if (f.has('examples') && examples.length < 2) f.problem('examples', 'needs at least 2 examples');
  for (const example of examples) {
    const lower = example.toLowerCase();
    if (keywords && !keywords.some((k) => lower.includes(k))) {
      f.problem('examples', 'every example must contain one of the keywords');
      break;
    }
  }
  const negativeExamples = readNegatives(f);
  const provider = f.string('provider', false) ?? id?.split('.')[0] ?? '';
  const rule: RuleDefinition = {
    id: id ?? '',
    provider,
    description: description ?? '',
    pattern: pattern ?? '',
    keywords: keywords ?? [],
    severity: (severityText ?? 'high') as Severity,
    tags: f.strings('tags', false) ?? [],
    references: f.strings('references', false) ?? [],
    generic: f.boolean('generic') ?? false,
    examples,
    negativeExamples,
    source: `${source}:${f.lineOf()}`,
    ...(screen === undefined ? {} : { screen }),
    ...(minEntropy === undefined ? {} : { minEntropy }),
    ...(checksum === undefined ? {} : { checksum }),
    ...(f.strings('paths', false) === undefined ? {} : { paths: f.strings('paths', false) ?? [] }),
    ...(f.strings('allow', false) === undefined ? {} : { allow: f.strings('allow', false) ?? [] }),
  };
  for (const message of local) problems.push(message.replace(/^([^:]+:\d+): /, `$1: rule ${idText}: `));
  return problems.length === before ? rule : undefined;
}

function readNegatives(f: FieldReader): NegativeExample[] {
  const raw = f.raw('negative_examples');
  const value: unknown = raw !== null && typeof raw === 'object' && 'toJSON' in raw ? (raw as { toJSON(): unknown }).toJSON() : raw;
  if (value === undefined || value === null) {
    f.problem('negative_examples', 'is required (at least one, each with a reason)');
    return [];
  }
  if (!Array.isArray(value) || value.length === 0) {
    f.problem('negative_examples', 'must be a non-empty list of { text, reason }');
    return [];
  }
  const out: NegativeExample[] = [];
  for (const entry of value as unknown[]) {
    const text = (entry as { text?: unknown } | null)?.text;
    const reason = (entry as { reason?: unknown } | null)?.reason;
    if (typeof text !== 'string' || typeof reason !== 'string' || reason.trim() === '' || Object.keys(entry as object).length !== 2) {
      f.problem('negative_examples', 'each entry needs exactly `text` and a one-line `reason`');
      continue;
    }
    if (reason.includes('\n')) f.problem('negative_examples', 'a reason is one line');
    out.push({ text, reason });
  }
  return out;
}
