/**
 * Errors that carry the exit code the CLI maps them to. Messages name the input (file, rule id, key)
 * and never contain a secret value.
 */
export abstract class ScanError extends Error {
  abstract readonly code: string;
  readonly exitCode: 2 = 2;
}

/** A rule file or user config is invalid. Collects every problem before it is thrown. */
export class ConfigError extends ScanError {
  readonly code = 'CONFIG_INVALID';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(problems.length === 1 ? (problems[0] ?? '') : `${problems.length} problems:\n  ${problems.join('\n  ')}`, options);
    this.problems = problems;
  }
}

/** An input that cannot be read at all (missing path, corrupt repository, unreadable archive). */
export class InputError extends ScanError {
  readonly code = 'INPUT_INVALID';
}

/** The report's destination stopped taking it (its reader closed a pipe: `leakguard … | head`). */
export class OutputError extends ScanError {
  readonly code = 'OUTPUT_CLOSED';
}

/** The command line is wrong. */
export class UsageError extends ScanError {
  readonly code = 'USAGE';
}
