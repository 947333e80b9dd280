import { describe, expect, it } from 'vitest';
import { wholeChunk, type Chunk } from '../chunk.js';
import { DEFAULT_CONFIG } from '../config/config.js';
import { createScanner, type Scanner } from '../scanner.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';

const token = fakeGithubToken(301);

/** Finding lines (1-based) that survive the scanner's filters. */
function reportedLines(scanner: Scanner, text: string, path = 'file.txt'): number[] {
  const chunk: Chunk = wholeChunk(Buffer.from(text), { kind: 'file', path });
  return scanner.engine
    .scan(chunk)
    .filter((f) => scanner.filters.every((filter) => filter.keep(f, { data: chunk.data, offset: chunk.offset })))
    .map((f) => f.location.line);
}

describe('inline ignores', () => {
  const scanner = createScanner(DEFAULT_CONFIG);
  const audit = createScanner(DEFAULT_CONFIG, { inlineIgnores: false });

  it.each([
    ['shell / YAML / Python #', `TOKEN=${token} # leakguard:allow`],
    ['C / JS / Go //', `const t = "${token}"; // leakguard:allow`],
    ['C block comment', `char *t = "${token}"; /* leakguard:allow */`],
    ['HTML comment', `<meta content="${token}"> <!-- leakguard:allow -->`],
    ['SQL / Lua --', `SELECT '${token}'; -- leakguard:allow`],
    ['INI / Lisp ;', `token = ${token} ; leakguard:allow`],
    ['TeX / Erlang %', `\\def\\t{${token}} % leakguard:allow`],
    ['batch REM', `set T=${token} & REM leakguard:allow`],
    ['gitleaks', `t = "${token}" # gitleaks:allow`],
    ['trufflehog', `t = "${token}" // trufflehog:ignore`],
    ['detect-secrets', `t = "${token}"  # pragma: allowlist secret`],
  ])('honours a same-line marker in %s', (_syntax, line) => {
    const text = `before\n${line}\nafter ${fakeGithubToken(302)}\n`;
    expect(reportedLines(scanner, text)).toEqual([3]);
    expect(reportedLines(audit, text)).toEqual([2, 3]);
  });

  it.each([
    ['# leakguard:allow next-line'],
    ['// leakguard:allow next-line'],
    ['<!-- leakguard:allow next-line -->'],
    ['# pragma: allowlist nextline secret'],
  ])('honours %s on the line above, and only for that line', (marker) => {
    const text = `${marker}\nkey: ${token}\nother: ${fakeGithubToken(303)}\n`;
    expect(reportedLines(scanner, text)).toEqual([3]);
    expect(reportedLines(audit, text)).toEqual([2, 3]);
  });

  it('does not let a next-line marker allow the secret on its own line', () => {
    expect(reportedLines(scanner, `key: ${token} # leakguard:allow next-line\n`)).toEqual([1]);
  });

  it('finds the marker on the first line of the file and at the very start of a chunk', () => {
    expect(reportedLines(scanner, `${token} # leakguard:allow`)).toEqual([]);
    expect(reportedLines(scanner, `\n${token}`)).toEqual([2]);
    expect(reportedLines(scanner, `# leakguard:allow next-line\n${token}`)).toEqual([]);
  });

  it('reads only the finding\'s own line even when it is very long (minified)', () => {
    const far = `${'x'.repeat(10_000)} leakguard:allow`;
    expect(reportedLines(scanner, `var a="${token}";${far}\n`)).toEqual([1]);
  });
});

describe('allow-lists from the config', () => {
  it('drops findings by line regex, path glob, secret regex and stopword, globally and per rule', () => {
    const other = fakeGithubToken(304);
    const scanner = createScanner({
      ...DEFAULT_CONFIG,
      allow: { paths: ['vendor/**'], regexes: [`^${other.slice(0, 12)}`], lineRegexes: ['(?i)example_fixture'], stopwords: [] },
      overrides: { 'github.pat-classic': { allow: { paths: [], regexes: [], lineRegexes: ['^\\s*#'], stopwords: [] } } },
    });
    const text = [`a = ${token}`, `b = ${token}  # EXAMPLE_FIXTURE`, `c = ${other}`, `  # ${token}`, `d = ${fakeGithubToken(305, 'gho')}`].join('\n');
    expect(reportedLines(scanner, text)).toEqual([1, 5]);
    // The per-rule line regex applies to its rule only: a gho_ token on a comment line is still reported.
    expect(reportedLines(scanner, `# ${fakeGithubToken(306, 'gho')}\n# ${token}\n`)).toEqual([1]);
    expect(reportedLines(scanner, `a = ${token}\n`, 'vendor/lib/x.js')).toEqual([]);
  });
});
