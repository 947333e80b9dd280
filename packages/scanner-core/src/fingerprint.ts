import { createHmac } from 'node:crypto';
import type { Origin } from './origin.js';

/**
 * Fingerprints identify a secret without revealing it: HMAC-SHA256 keyed with a project key.
 * Threat model (docs/fingerprints.md): a fingerprint lets anyone holding the key test a *guess* of the
 * value, so low-entropy secrets can be brute-forced by a key holder; without the key nothing can be
 * learned. The default key makes baselines portable between machines; set LEAKGUARD_FINGERPRINT_KEY (or
 * `fingerprint_key` in config) to a private value to make fingerprints useless to outsiders.
 */
export const DEFAULT_FINGERPRINT_KEY = 'leakguard-fingerprint-v1';

export class Fingerprinter {
  readonly #key: string;

  constructor(key: string = DEFAULT_FINGERPRINT_KEY) {
    this.#key = key;
  }

  /** The same secret found by the same rule family anywhere gets the same value. */
  secret(ruleId: string, value: string): string {
    const family = ruleId.split('.')[0] ?? ruleId;
    return createHmac('sha256', this.#key).update(`${family}\0${value}`).digest('hex').slice(0, 32);
  }

  /** The secret at one place (path + line), stable across runs, for SARIF partialFingerprints. */
  location(secretFingerprint: string, origin: Origin, line: number): string {
    const where = 'commit' in origin && origin.commit !== undefined ? `${origin.commit}:${origin.path}` : origin.path;
    return createHmac('sha256', this.#key).update(`${secretFingerprint}\0${where}\0${line}`).digest('hex').slice(0, 32);
  }
}
