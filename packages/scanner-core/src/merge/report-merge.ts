import type * as Sarif from 'sarif';
import { InputError } from '../errors.js';
import { jsonProblem } from '../json-problem.js';

/** A parsed report file: leakguard JSON or SARIF 2.1.0. */
export type ParsedReport =
  | { readonly kind: 'json'; readonly path: string; readonly report: JsonReport }
  | { readonly kind: 'sarif'; readonly path: string; readonly log: Sarif.Log };

export interface JsonReport {
  readonly version: number;
  readonly tool: { readonly name: string; readonly version: string };
  readonly findings: readonly JsonFinding[];
  readonly summary: Record<string, unknown>;
}

interface JsonFinding {
  readonly rule: string;
  readonly fingerprint: string;
  readonly locationFingerprint?: string;
  readonly location: { readonly path: string; readonly line: number; readonly column: number; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Parses one shard report, or throws an InputError naming the file and what is wrong with it. */
export function parseReport(text: string, path: string): ParsedReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not a JSON or SARIF report (${jsonProblem(error, text)})`);
  }
  if (isObject(value) && value['version'] === '2.1.0' && Array.isArray(value['runs'])) {
    for (const [i, run] of (value['runs'] as unknown[]).entries()) {
      if (!isObject(run) || !isObject(run['tool']) || !Array.isArray(run['results'] ?? [])) {
        throw new InputError(`${path}: SARIF runs[${i}] lacks tool or results`);
      }
    }
    return { kind: 'sarif', path, log: value as unknown as Sarif.Log };
  }
  if (isObject(value) && Array.isArray(value['findings']) && isObject(value['summary'])) {
    (value['findings'] as unknown[]).forEach((f, i) => {
      if (!isObject(f) || typeof f['rule'] !== 'string' || typeof f['fingerprint'] !== 'string' || !isObject(f['location'])) {
        throw new InputError(`${path}: findings[${i}] is not a leakguard finding`);
      }
    });
    return { kind: 'json', path, report: value as unknown as JsonReport };
  }
  throw new InputError(`${path}: neither a leakguard JSON report nor a SARIF 2.1.0 log`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findingKey(f: JsonFinding): string {
  return `${f.rule}\0${f.locationFingerprint ?? `${f.fingerprint}\0${f.location.path}\0${f.location.line}\0${f.location.column}`}`;
}

type JsonLocation = JsonFinding['location'] & { readonly locationFingerprint?: string };

function locationKey(l: JsonLocation): string {
  return l.locationFingerprint ?? `${l.path}\0${l.line}\0${l.column}\0${String(l['commit'] ?? '')}`;
}

/**
 * Grouped reports (one entry per secret with `locations`) merge by rule + fingerprint: the places are
 * unioned (by location fingerprint) and re-sorted, so shards that saw the same secret give one entry.
 */
function mergeGroups(findings: readonly JsonFinding[]): JsonFinding[] {
  const groups = new Map<string, { first: JsonFinding; places: Map<string, JsonLocation>; occurrences: number }>();
  for (const f of findings) {
    const key = `${f.rule}\0${f.fingerprint}`;
    const places = (f['locations'] as JsonLocation[] | undefined) ?? [{ ...f.location, ...(f.locationFingerprint === undefined ? {} : { locationFingerprint: f.locationFingerprint }) }];
    let group = groups.get(key);
    if (group === undefined) {
      group = { first: f, places: new Map(), occurrences: 0 };
      groups.set(key, group);
    }
    for (const place of places) group.places.set(locationKey(place), place);
    group.occurrences = Math.max(group.occurrences, typeof f['occurrences'] === 'number' ? f['occurrences'] : 1);
  }
  return [...groups.values()].map(({ first, places, occurrences }) => {
    const sorted = [...places.values()].sort((a, b) => byPlace({ ...a, rule: '' }, { ...b, rule: '' }));
    const head = sorted[0] ?? first.location;
    const { locationFingerprint: headFingerprint, ...headLocation } = head as JsonLocation;
    return {
      ...first,
      ...(headFingerprint === undefined ? {} : { locationFingerprint: headFingerprint }),
      location: headLocation,
      occurrences: Math.max(occurrences, sorted.length),
      locations: sorted,
    };
  });
}

function byPlace(a: { path: string; line: number; column: number; rule: string }, b: typeof a): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/**
 * Joins leakguard JSON reports, sorted, summaries added up: per-place reports (`--no-group`) dedupe by
 * location fingerprint, grouped reports combine each secret's places.
 */
export function mergeJson(reports: readonly JsonReport[]): JsonReport {
  const all = reports.flatMap((r) => r.findings);
  const grouped = all.some((f) => Array.isArray(f['locations']));
  const seen = new Map<string, JsonFinding>();
  if (grouped) for (const f of mergeGroups(all)) seen.set(`${f.rule}\0${f.fingerprint}`, f);
  else for (const f of all) if (!seen.has(findingKey(f))) seen.set(findingKey(f), f);
  const findings = [...seen.values()].sort((a, b) =>
    byPlace({ ...a.location, rule: a.rule }, { ...b.location, rule: b.rule }),
  );
  const sum = (key: string): number => reports.reduce((n, r) => n + (typeof r.summary[key] === 'number' ? (r.summary[key] as number) : 0), 0);
  const skipped: Record<string, number> = {};
  for (const r of reports) {
    for (const [reason, n] of Object.entries((r.summary['skipped'] as Record<string, number> | undefined) ?? {})) skipped[reason] = (skipped[reason] ?? 0) + n;
  }
  return {
    version: 1,
    tool: reports[0]?.tool ?? { name: 'leakguard', version: '0.0.0' },
    findings,
    summary: {
      findings: findings.length,
      itemsScanned: sum('itemsScanned'),
      bytesScanned: sum('bytesScanned'),
      skipped,
      warnings: reports.flatMap((r) => (r.summary['warnings'] as unknown[] | undefined) ?? []),
      rulesLoaded: Math.max(0, ...reports.map((r) => (r.summary['rulesLoaded'] as number | undefined) ?? 0)),
      durationMs: Math.max(0, ...reports.map((r) => (r.summary['durationMs'] as number | undefined) ?? 0)),
      partial: reports.some((r) => r.summary['partial'] === true),
      mergedReports: reports.length,
    },
  };
}

function resultKey(r: Sarif.Result): string {
  const loc = r.locations?.[0]?.physicalLocation;
  const where = r.partialFingerprints?.['leakguardLocation/v1'] ??
    `${loc?.artifactLocation?.uri ?? ''}:${loc?.region?.startLine ?? 0}:${loc?.region?.startColumn ?? 0}:${r.fingerprints?.['leakguardSecret/v1'] ?? r.message.text ?? ''}`;
  return `${r.ruleId ?? ''}\0${where}`;
}

/** Joins SARIF logs into one run: rules unioned by id (results re-indexed), results deduplicated and sorted. */
export function mergeSarif(logs: readonly Sarif.Log[]): Sarif.Log {
  const first = logs[0]?.runs[0];
  const rules = new Map<string, Sarif.ReportingDescriptor>();
  const results = new Map<string, Sarif.Result>();
  const notifications: Sarif.Notification[] = [];
  let partial = false;
  for (const log of logs) {
    for (const run of log.runs) {
      for (const rule of run.tool.driver.rules ?? []) if (!rules.has(rule.id)) rules.set(rule.id, rule);
      for (const result of run.results ?? []) if (!results.has(resultKey(result))) results.set(resultKey(result), result);
      for (const inv of run.invocations ?? []) {
        notifications.push(...(inv.toolExecutionNotifications ?? []));
        if ((inv.properties as Record<string, unknown> | undefined)?.['partial'] === true) partial = true;
      }
    }
  }
  const ruleList = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  const place = (r: Sarif.Result): { path: string; line: number; column: number; rule: string } => {
    const loc = r.locations?.[0]?.physicalLocation;
    return { path: loc?.artifactLocation?.uri ?? '', line: loc?.region?.startLine ?? 0, column: loc?.region?.startColumn ?? 0, rule: r.ruleId ?? '' };
  };
  const merged = [...results.values()]
    .sort((a, b) => byPlace(place(a), place(b)))
    .map((r) => ({ ...r, ...(r.ruleId !== undefined && index.has(r.ruleId) ? { ruleIndex: index.get(r.ruleId) } : {}) }));
  return {
    ...(logs[0]?.$schema === undefined ? {} : { $schema: logs[0].$schema }),
    version: '2.1.0',
    runs: [
      {
        ...(first ?? {}),
        tool: { ...(first?.tool ?? { driver: { name: 'leakguard' } }), driver: { ...(first?.tool.driver ?? { name: 'leakguard' }), rules: ruleList } },
        results: merged,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications, properties: { partial, mergedReports: logs.length } }],
      },
    ],
  };
}
