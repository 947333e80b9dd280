import { redactedPreview } from '../../redacted-preview.js';

/** Longest instruction text carried on an origin; RUN lines can be kilobytes of shell. */
const MAX_INSTRUCTION = 300;

/**
 * A Dockerfile instruction (history `created_by`) made safe to print on every finding of its layer.
 * `RUN echo $TOKEN > /x` with a build arg shows up as `|1 TOKEN=<value> /bin/sh -c ...`, so the text
 * can hold the very secret being reported (the full text is scanned, and reported redacted, as
 * `config:history[i].created_by`). Sources know no rules, so this masks by shape: every build-arg
 * value, the value after a secret-sounding key (`password=`, `--token `, `API_KEY:`), and every long
 * token-like run (20+ chars mixing letters and digits: base64, hex, vendor tokens).
 */
export function maskInstruction(text: string): string {
  let masked = text.replace(/^\|(\d+)((?: [A-Za-z_][A-Za-z0-9_]*=\S*)+)/, (_all, count: string, args: string) => {
    const hidden = args.replace(/=(\S*)/g, (_m, value: string) => `=${value === '' ? '' : redactedPreview(value)}`);
    return `|${count}${hidden}`;
  });
  masked = masked.replace(
    /((?:pass(?:word|wd)?|secret|token|api[_-]?key|key|auth|credentials?|pwd)[A-Za-z0-9_-]*["']?\s*[=:]\s*["']?|--?(?:pass(?:word)?|secret|token|api-?key|auth|credentials?|pwd)[A-Za-z0-9_-]*\s+["']?)([^\s"'&;|]{4,})/gi,
    (_m, key: string, value: string) => `${key}${redactedPreview(value)}`,
  );
  masked = masked.replace(/[A-Za-z0-9+_.=-]{20,}/g, (run) => (/[0-9]/.test(run) && /[A-Za-z]/.test(run) ? redactedPreview(run) : run));
  return masked.length > MAX_INSTRUCTION ? `${masked.slice(0, MAX_INSTRUCTION - 1)}…` : masked;
}
