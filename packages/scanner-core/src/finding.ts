import type { Origin } from './origin.js';
import type { RuleInfo, Severity } from './rules/rule.js';
import type { Secret } from './secret.js';

/** 1-based positions of the secret in the whole object; `endColumn` is exclusive, as in SARIF. */
export interface Location {
  readonly offset: number;
  readonly endOffset: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** One secret at one place. Reporters get these; only `secret.reveal()` exposes the value. */
export interface Finding {
  readonly rule: RuleInfo;
  readonly secret: Secret;
  /** Identity of the secret (rule family + keyed hash of the value): the same at every location. */
  readonly fingerprint: string;
  /** Identity of this secret at this place, for SARIF partialFingerprints. */
  readonly locationFingerprint: string;
  /** A preview safe to print: a few characters of the value with the rest masked. */
  readonly redacted: string;
  readonly entropy: number;
  readonly origin: Origin;
  readonly location: Location;
  /** Offline structure check result, when the rule names a checksum (invalid ones rank lower). */
  readonly checksum?: 'valid' | 'invalid';
  /** Set when the secret was found inside encoded text: the encodings, outermost first (`base64`, `base64/base64`). */
  readonly decoded?: string;
  /** Facts an offline check read from the secret's structure: a JWT's `alg` and `exp`, a PEM key's `keyType`. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** The finding's severity when offline checks changed the rule's (an expired JWT ranks lower). */
  readonly severity?: Severity;
}

/** The severity to report: the finding's own when offline checks changed it, else its rule's. */
export function severityOf(finding: Finding): Severity {
  return finding.severity ?? finding.rule.severity;
}
