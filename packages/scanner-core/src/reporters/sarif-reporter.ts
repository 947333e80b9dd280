import { pathToFileURL } from 'node:url';
import type { Writable } from 'node:stream';
import type * as Sarif from 'sarif';
import { severityOf, type Finding } from '../finding.js';
import type { RuleInfo, Severity } from '../rules/rule.js';
import { writeBytes } from '../stream-write.js';
import type { RunInfo, ScanSummary } from '../summary.js';
import { provenance } from './provenance.js';
import { imageLogicalLocations, imageMessageNote, imageRelatedLocations } from './sarif-image-location.js';
import type { Reporter } from './reporter.js';

const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const LEVEL: Record<Severity, Sarif.Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
export const SRCROOT = '%SRCROOT%';

/** SARIF 2.1.0 as GitHub code scanning accepts it. Results are collected and written once at the end. */
export class SarifReporter implements Reporter {
  readonly #out: Writable;
  readonly #results: Sarif.Result[] = [];
  readonly #ruleIndex = new Map<string, number>();
  readonly #rules: Sarif.ReportingDescriptor[] = [];
  #run: RunInfo | undefined;

  constructor(out: Writable) {
    this.#out = out;
  }

  onStart(run: RunInfo): void {
    this.#run = run;
  }

  onFinding(f: Finding): void {
    this.#results.push(sarifResult(f, this.#indexOf(f.rule)));
  }

  async onEnd(summary: ScanSummary): Promise<void> {
    const run = this.#run;
    const log: Sarif.Log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: run?.tool.name ?? 'leakguard',
              version: run?.tool.version ?? '0.0.0',
              semanticVersion: run?.tool.version ?? '0.0.0',
              informationUri: 'https://github.com/leakguard/leakguard',
              rules: this.#rules,
            },
          },
          originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(`${run?.root ?? process.cwd()}/`).href } },
          columnKind: 'unicodeCodePoints',
          results: this.#results,
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: summary.warnings.slice(0, 1000).map((w) => ({
                level: 'warning' as const,
                message: { text: `${w.input}: ${w.message}` },
              })),
              properties: { partial: summary.partial, itemsScanned: summary.itemsScanned, bytesScanned: summary.bytesScanned },
            },
          ],
        },
      ],
    };
    await writeBytes(this.#out, `${JSON.stringify(log, null, 2)}\n`);
  }

  #indexOf(rule: RuleInfo): number {
    let index = this.#ruleIndex.get(rule.id);
    if (index === undefined) {
      index = this.#rules.length;
      this.#ruleIndex.set(rule.id, index);
      this.#rules.push(sarifRule(rule));
    }
    return index;
  }
}

export function sarifRule(rule: RuleInfo): Sarif.ReportingDescriptor {
  const refs = rule.references.length === 0 ? '' : `\n\nReferences:\n${rule.references.map((r) => `- ${r}`).join('\n')}`;
  const help = `${rule.description}. Revoke or rotate the credential at the provider, then remove it from the source (and its history). Store it in a secret manager or CI secret instead.${refs}`;
  return {
    id: rule.id,
    name: rule.id.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} (provider: ${rule.provider})` },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      tags: ['security', 'secret', ...rule.tags],
      precision: 'high',
      'problem.severity': rule.severity === 'critical' ? 'error' : LEVEL[rule.severity] === 'note' ? 'recommendation' : LEVEL[rule.severity],
    },
  };
}

export function sarifResult(f: Finding, ruleIndex: number): Sarif.Result {
  return {
    ruleId: f.rule.id,
    ruleIndex,
    level: LEVEL[severityOf(f)],
    message: { text: `${f.rule.description} (${f.rule.id}): ${f.redacted}${imageMessageNote(f.origin)}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(f.origin.path), uriBaseId: SRCROOT },
          region: {
            startLine: f.location.line,
            startColumn: f.location.column,
            endLine: f.location.endLine,
            endColumn: Math.max(f.location.endColumn, f.location.endLine === f.location.line ? f.location.column + 1 : 1),
          },
        },
        ...imageLogicalLocations(f.origin),
      },
    ],
    ...imageRelatedLocations(f.origin, relativeUri, SRCROOT),
    partialFingerprints: { 'leakguardLocation/v1': f.locationFingerprint },
    fingerprints: { 'leakguardSecret/v1': f.fingerprint },
    properties: {
      redacted: f.redacted,
      entropy: f.entropy,
      ...(f.checksum === undefined ? {} : { checksum: f.checksum }),
      ...(f.decoded === undefined ? {} : { decoded: f.decoded }),
      ...(f.severity === undefined ? {} : { severity: f.severity }),
      ...(f.details === undefined ? {} : { details: f.details }),
      ...provenance(f.origin),
    },
  };
}

/** A relative path as a URI reference: forward slashes, each segment percent-encoded. */
export function relativeUri(path: string): string {
  return path
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
