import RE2 from 're2';
import type { LineCounter, Node, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq } from '../yaml-lazy.js';
import { SEVERITIES, type Severity } from '../rules/rule.js';
import { FieldReader } from '../rules/yaml-fields.js';
import { DEFAULT_DECODE, type AllowConfig, type DecodeConfig, type RuleOverride } from './config.js';

/** What every section reader needs to report a problem as `file:line: key: message`. */
export interface ConfigContext {
  readonly path: string;
  readonly lines: LineCounter;
  readonly problems: string[];
}

export const ALLOW_KEYS = ['paths', 'regexes', 'line_regexes', 'stopwords'];
const OVERRIDE_KEYS = ['min_entropy', 'severity', 'allow'];
const DECODE_KEYS = ['depth', 'max_bytes'];

export function lineOf(node: unknown, lines: LineCounter): number {
  const start = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  return lines.linePos(start).line;
}

function unknownKeys(reader: FieldReader, known: readonly string[], where: string): void {
  for (const key of reader.keys()) {
    if (!known.includes(key)) reader.problem(key, `unknown key under ${where} (known: ${known.join(', ')})`);
  }
}

/**
 * Reads an `allow:` block (global, or one rule's). Regexes are compiled here so a bad one is reported
 * at its own line, with every other problem, before any scanning starts.
 */
export function readAllow(node: unknown, keyPath: string, ctx: ConfigContext, parent: FieldReader, key: string): AllowConfig | undefined {
  if (!isMap(node)) {
    parent.problem(key, `${keyPath} must be a mapping with ${ALLOW_KEYS.join(', ')}`);
    return undefined;
  }
  const reader = new FieldReader(node, ctx.path, ctx.lines, ctx.problems);
  unknownKeys(reader, ALLOW_KEYS, keyPath);
  const regexes = reader.strings('regexes', false) ?? [];
  const lineRegexes = reader.strings('line_regexes', false) ?? [];
  checkRegexes(node, 'regexes', `${keyPath}.regexes`, ctx);
  checkRegexes(node, 'line_regexes', `${keyPath}.line_regexes`, ctx);
  return {
    paths: reader.strings('paths', false) ?? [],
    regexes,
    lineRegexes,
    stopwords: reader.strings('stopwords', false) ?? [],
  };
}

function checkRegexes(map: YAMLMap, key: string, keyPath: string, ctx: ConfigContext): void {
  const seq = map.get(key, true);
  if (!isSeq(seq)) return;
  seq.items.forEach((item, i) => {
    if (!isScalar(item) || typeof item.value !== 'string') return;
    try {
      new RE2(item.value);
    } catch (error) {
      ctx.problems.push(`${ctx.path}:${lineOf(item, ctx.lines)}: ${keyPath}[${i}]: not valid RE2: ${(error as Error).message}`);
    }
  });
}

/** Reads `rules.overrides: { <rule id>: { min_entropy, severity, allow } }`. */
export function readOverrides(node: unknown, ctx: ConfigContext, parent: FieldReader): Record<string, RuleOverride> {
  const out: Record<string, RuleOverride> = {};
  if (!isMap(node)) {
    parent.problem('overrides', 'must be a mapping from rule id to { min_entropy, severity, allow }');
    return out;
  }
  const byId = new FieldReader(node, ctx.path, ctx.lines, ctx.problems);
  for (const pair of node.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const keyPath = `rules.overrides.${id}`;
    if (!isMap(pair.value)) {
      byId.problem(id, `${keyPath} must be a mapping with ${OVERRIDE_KEYS.join(', ')}`);
      continue;
    }
    const reader = new FieldReader(pair.value, ctx.path, ctx.lines, ctx.problems);
    unknownKeys(reader, OVERRIDE_KEYS, keyPath);
    const minEntropy = reader.number('min_entropy', 0, 8);
    const severity = reader.string('severity', false);
    if (severity !== undefined && !SEVERITIES.includes(severity as Severity)) {
      reader.problem('severity', `must be one of ${SEVERITIES.join(', ')}`);
    }
    const allowNode = pair.value.get('allow', true);
    const allow = allowNode === undefined ? undefined : readAllow(allowNode, `${keyPath}.allow`, ctx, reader, 'allow');
    out[id] = {
      where: `${ctx.path}:${lineOf(pair.key as Node, ctx.lines)}`,
      ...(minEntropy === undefined ? {} : { minEntropy }),
      ...(severity === undefined || !SEVERITIES.includes(severity as Severity) ? {} : { severity: severity as Severity }),
      ...(allow === undefined ? {} : { allow }),
    };
  }
  return out;
}

/** Reads `decode: { depth: 0..2, max_bytes }`. */
export function readDecode(node: unknown, ctx: ConfigContext, parent: FieldReader): DecodeConfig {
  if (!isMap(node)) {
    parent.problem('decode', `must be a mapping with ${DECODE_KEYS.join(', ')}`);
    return DEFAULT_DECODE;
  }
  const reader = new FieldReader(node, ctx.path, ctx.lines, ctx.problems);
  unknownKeys(reader, DECODE_KEYS, 'decode');
  const depth = reader.number('depth', 0, 2);
  if (depth !== undefined && !Number.isInteger(depth)) reader.problem('depth', 'must be 0, 1 or 2');
  const maxBytes = reader.number('max_bytes', 0, 256 * 1024 * 1024);
  return { depth: depth ?? DEFAULT_DECODE.depth, maxBytes: maxBytes ?? DEFAULT_DECODE.maxBytes };
}
