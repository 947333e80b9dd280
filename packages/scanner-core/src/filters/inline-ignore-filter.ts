import type { Finding } from '../finding.js';
import type { FindingContext, FindingFilter } from './finding-filter.js';
import { findingLines } from './finding-line.js';

/**
 * Markers on the secret's own line. Matched anywhere on the line, so they work in every comment syntax
 * (`#`, `//`, `/* *\/`, `<!-- -->`, `--`, `;`, `%`, `REM`) and in formats without comments (a JSON value).
 * `leakguard:allow next-line` on the same line as a secret does not allow that secret: it names the next.
 */
const SAME_LINE = /leakguard:allow(?![ \t]+next-?line)|gitleaks:allow|trufflehog:ignore|pragma:[ \t]*allowlist[ \t]+secret/i;
/** Markers on the line above the secret (detect-secrets spells its one `allowlist nextline secret`). */
const NEXT_LINE = /leakguard:allow[ \t]+next-?line|pragma:[ \t]*allowlist[ \t]+nextline[ \t]+secret/i;

/**
 * Drops findings marked in the source itself: `leakguard:allow` on the line, or `leakguard:allow next-line`
 * on the line above; for teams migrating, also `gitleaks:allow`, `trufflehog:ignore` and detect-secrets'
 * `pragma: allowlist secret`. A multi-line secret (a PEM block) is marked on its first line.
 */
export class InlineIgnoreFilter implements FindingFilter {
  readonly name = 'inline-ignore';

  keep(finding: Finding, context: FindingContext): boolean {
    const lines = findingLines(finding, context);
    if (lines === undefined) return true;
    if (SAME_LINE.test(lines.line)) return false;
    return !(lines.previous !== undefined && NEXT_LINE.test(lines.previous));
  }
}
