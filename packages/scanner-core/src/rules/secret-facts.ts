/** What an offline check can read from a secret's structure, to report and to rank by. Never the value. */
export interface SecretFacts {
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** True when the structure says the secret is less dangerous (an expired JWT): reported at `low`. */
  readonly lowerSeverity?: boolean;
}
