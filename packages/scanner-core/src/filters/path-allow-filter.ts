import picomatch from 'picomatch';
import type { Finding } from '../finding.js';
import type { FindingFilter } from './finding-filter.js';

/** Drops findings whose report path matches an allow-listed glob (`fixtures/**`, `*.test.ts`). */
export class PathAllowFilter implements FindingFilter {
  readonly #matchers: readonly ((path: string) => boolean)[];

  constructor(globs: readonly string[]) {
    this.#matchers = globs.map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
  }

  keep(finding: Finding): boolean {
    const path = finding.origin.path.replace(/^\.\//, '');
    return !this.#matchers.some((m) => m(path));
  }
}
