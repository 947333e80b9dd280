import { Fingerprinter } from '@leakguard/scanner-core';

/** One place of one finding in `--format json` output (grouped or not), flattened. */
export interface JsonPlace {
  readonly rule: string;
  readonly fingerprint: string;
  readonly redacted: string;
  readonly path: string;
  readonly source: string;
  readonly image?: string;
  readonly imageDigest?: string;
  readonly layer?: string;
  readonly layerIndex?: number;
  readonly createdBy?: string;
  readonly flag?: string;
  readonly removedInLayer?: string;
  readonly removedInLayerIndex?: number;
}

interface JsonFinding {
  readonly rule: string;
  readonly fingerprint: string;
  readonly redacted: string;
  readonly location: Record<string, unknown>;
  readonly locations?: readonly Record<string, unknown>[];
}

export function jsonPlaces(stdout: string): JsonPlace[] {
  const doc = JSON.parse(stdout) as { findings: JsonFinding[] };
  return doc.findings.flatMap((f) =>
    (f.locations ?? [f.location]).map((l) => ({ rule: f.rule, fingerprint: f.fingerprint, redacted: f.redacted, ...l }) as JsonPlace),
  );
}

/** The fingerprint any GitHub rule gives a token (rule family + keyed hash), to find it without its value. */
export function githubFingerprint(token: string): string {
  return new Fingerprinter().secret('github.token', token);
}

/** `fingerprint path` pairs, sorted, for comparing runs. */
export function placeKeys(places: readonly JsonPlace[]): string[] {
  return places.map((p) => `${p.fingerprint} ${p.path}${p.flag === undefined ? '' : ` ${p.flag}`}`).sort();
}
