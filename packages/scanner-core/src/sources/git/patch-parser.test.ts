import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, useHermeticGit } from '../../testing/git-test-repo.js';
import { joinLines, PatchParser, type PatchEvent } from './patch-parser.js';

const repos: TestRepo[] = [];

function parseAll(pieces: readonly Buffer[]): PatchEvent[] {
  const parser = new PatchParser();
  const events: PatchEvent[] = [];
  for (const piece of pieces) events.push(...parser.push(piece));
  events.push(...parser.end());
  return events;
}

function added(events: readonly PatchEvent[]): { path: string; line: number; text: string }[] {
  return events.flatMap((e) => (e.kind === 'added' ? [{ path: e.file.path, line: e.line, text: joinLines(e.lines).toString('utf8') }] : []));
}

beforeAll(() => useHermeticGit());
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('PatchParser', () => {
  it('never takes file content for a header, at any piece boundary', () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit('base', { 'a.txt': 'one\ntwo\n' });
    const tricky = ['one', '++ b/not-a-file', 'diff --git a/x b/x', '@@ -1 +1 @@', '-- a/y', 'two', 'last'].join('\n') + '\n';
    repo.write({ 'a.txt': tricky, 'b c.txt': 'new\n' });
    repo.git('add', '-A');
    const patch = repo.gitBytes('diff', '--cached', '-U0', '--full-index', '--src-prefix=a/', '--dst-prefix=b/');
    const expected = [
      { path: 'a.txt', line: 2, text: '++ b/not-a-file\ndiff --git a/x b/x\n@@ -1 +1 @@\n-- a/y\n' },
      { path: 'a.txt', line: 7, text: 'last\n' },
      { path: 'b c.txt', line: 1, text: 'new\n' },
    ];
    expect(added(parseAll([patch]))).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.nat(patch.length), { maxLength: 12 }), (points) => {
        const at = [...new Set(points)].sort((a, b) => a - b);
        const pieces = [0, ...at].map((p, i) => patch.subarray(p, at[i] ?? patch.length));
        expect(added(parseAll(pieces))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        parseAll([Buffer.from(bytes)]);
      }),
      { numRuns: 500 },
    );
    // and on header-shaped garbage
    const lines = fc.constantFrom('diff --git a/x b/x', 'diff --cc "q\\001"', '@@ -1 +1 @@', '@@@ -1 -1 +1 @@@', '+x', '++y', ' +z', '\u0001c\u0000n', '+++ "b/\\', 'index 1..2 160000', 'Binary files a and b differ');
    fc.assert(
      fc.property(fc.array(lines, { maxLength: 40 }), (chosen) => {
        parseAll([Buffer.from(chosen.join('\n'))]);
      }),
      { numRuns: 500 },
    );
  });
});
