import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LineCounter } from 'yaml';
import { isMap, isSeq, newLineCounter, parseDocument } from '../yaml-lazy.js';
import { ConfigError } from '../errors.js';
import { DEFAULT_FINGERPRINT_KEY } from '../fingerprint.js';

export const DEFAULT_BASELINE_FILE = '.leakguard-baseline.json';

/**
 * One accepted secret: its rule, its identity (keyed hash of the value, the finding's `fingerprint`) and the
 * path it lives at. No commit, no line: rebases, squashes and moved lines keep matching, and a different
 * secret on the same line does not.
 */
export interface BaselineEntry {
  readonly path: string;
  readonly rule: string;
  readonly fingerprint: string;
  /** Why it is accepted (free text, for reviewers). */
  readonly reason?: string;
  /** `YYYY-MM-DD`: after this day the entry no longer suppresses, and its findings are reported again. */
  readonly expires?: string;
}

export interface Baseline {
  /** Identifies the fingerprint key the entries were made with, without revealing it. */
  readonly keyCheck: string;
  readonly entries: readonly BaselineEntry[];
}

const ENTRY_KEYS = new Set(['path', 'rule', 'fingerprint', 'reason', 'expires']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function entryKey(rule: string, fingerprint: string, path: string): string {
  return `${rule}\0${fingerprint}\0${path.replace(/^\.\//, '')}`;
}

/** A short HMAC of a constant under the fingerprint key: equal for equal keys, useless for guessing the key. */
export function fingerprintKeyCheck(key: string | undefined): string {
  return createHmac('sha256', key ?? DEFAULT_FINGERPRINT_KEY).update('leakguard-baseline-key-check').digest('hex').slice(0, 12);
}

/** Today as `YYYY-MM-DD` (UTC), the form `expires` is compared in. */
export function today(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function isExpired(entry: BaselineEntry, day: string): boolean {
  return entry.expires !== undefined && entry.expires < day;
}

/**
 * The file text: sorted by path, rule and fingerprint, one entry per line, no timestamps, so two branches
 * that baseline different files do not conflict and a re-run with nothing new changes nothing.
 */
export function formatBaseline(baseline: Baseline): string {
  const sorted = [...new Map(baseline.entries.map((e) => [entryKey(e.rule, e.fingerprint, e.path), e])).values()].sort(compareEntries);
  const lines = sorted.map((e, i) => {
    const ordered = {
      path: e.path,
      rule: e.rule,
      fingerprint: e.fingerprint,
      ...(e.reason === undefined ? {} : { reason: e.reason }),
      ...(e.expires === undefined ? {} : { expires: e.expires }),
    };
    return `    ${JSON.stringify(ordered)}${i === sorted.length - 1 ? '' : ','}`;
  });
  const body = lines.length === 0 ? '[]' : `[\n${lines.join('\n')}\n  ]`;
  return `{\n  "version": 1,\n  "keyCheck": ${JSON.stringify(baseline.keyCheck)},\n  "entries": ${body}\n}\n`;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return cmp(a.path, b.path) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint);
}

/** Code-unit order, not locale order: the same bytes on every machine. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function readBaseline(path: string, label: string = path): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${label}: cannot read baseline (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseBaseline(text, label);
}

/** Parses and checks a baseline; every problem names the file and line. */
export function parseBaseline(text: string, label: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const line = position === undefined ? 1 : text.slice(0, Number(position)).split('\n').length;
    throw new ConfigError([`${label}:${line}: baseline is not valid JSON`]);
  }
  const problems: string[] = [];
  const root = json as { version?: unknown; keyCheck?: unknown; entries?: unknown };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError([`${label}:1: a baseline is a JSON object`]);
  if (root.version !== 1) problems.push(`${label}:${lineOfKey(text, 'version')}: version: must be 1`);
  if (typeof root.keyCheck !== 'string') problems.push(`${label}:${lineOfKey(text, 'keyCheck')}: keyCheck: must be a string`);
  if (!Array.isArray(root.entries)) {
    problems.push(`${label}:${lineOfKey(text, 'entries')}: entries: must be a list`);
    throw new ConfigError(problems);
  }
  const entries: BaselineEntry[] = [];
  // Lines are looked up only when something is wrong: the YAML parse that finds them is slower than JSON.
  let lines: number[] | undefined;
  const where = (i: number): string => `${label}:${(lines ??= entryLines(text))[i] ?? 1}: entries[${i}]`;
  (root.entries as unknown[]).forEach((raw, i) => {
    const entryProblems: string[] = [];
    const e = raw as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) entryProblems.push('must be an object');
    else {
      for (const key of Object.keys(e)) if (!ENTRY_KEYS.has(key)) entryProblems.push(`${key}: unknown key`);
      for (const key of ['path', 'rule', 'fingerprint']) {
        if (typeof e[key] !== 'string' || e[key] === '') entryProblems.push(`${key}: must be a non-empty string`);
      }
      if (typeof e['fingerprint'] === 'string' && !/^[0-9a-f]{16,64}$/.test(e['fingerprint'])) entryProblems.push('fingerprint: must be hex');
      if (e['reason'] !== undefined && typeof e['reason'] !== 'string') entryProblems.push('reason: must be a string');
      const expires = e['expires'];
      if (expires !== undefined && (typeof expires !== 'string' || !DATE.test(expires) || Number.isNaN(Date.parse(expires)))) {
        entryProblems.push('expires: must be a date as YYYY-MM-DD');
      }
      entries.push(e as unknown as BaselineEntry);
    }
    for (const message of entryProblems) problems.push(`${where(i)}: ${message}`);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return { keyCheck: root.keyCheck as string, entries };
}

function lineOfKey(text: string, key: string): number {
  const at = text.indexOf(`"${key}"`);
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

/** Line of each entry, read with a YAML parser (JSON is YAML) only because JSON.parse keeps no positions. */
function entryLines(text: string): number[] {
  const counter = newLineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const entries = isMap(doc.contents) ? doc.contents.get('entries', true) : undefined;
  if (!isSeq(entries)) return [];
  return entries.items.map((item) => counter.linePos((item as { range?: [number, number, number] } | null)?.range?.[0] ?? 0).line);
}
