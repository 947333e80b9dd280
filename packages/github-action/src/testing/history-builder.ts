import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommitSpec {
  readonly message: string;
  /** Path → new content, or null to delete. */
  readonly files: Readonly<Record<string, string | null>>;
  readonly author?: { readonly name: string; readonly email: string };
}

let clock = 1_700_000_000;

/**
 * Appends commits to `branch` with one `git fast-import` run (hundreds of commits in well under a second),
 * starting from `from` (a commit id) or from the branch's current tip; returns the new commit ids in order.
 */
export function importCommits(dir: string, branch: string, from: string | undefined, commits: readonly CommitSpec[]): string[] {
  const start = from ?? tipOf(dir, branch);
  let stream = '';
  commits.forEach((commit, i) => {
    clock += 60;
    const author = commit.author ?? { name: 'Test Author', email: 'author@example.com' };
    stream += `commit refs/heads/${branch}\nmark :${i + 1}\n`;
    stream += `author ${author.name} <${author.email}> ${clock} +0000\ncommitter Test Committer <committer@example.com> ${clock} +0000\n`;
    stream += data(commit.message);
    if (i === 0 && start !== undefined) stream += `from ${start}\n`;
    for (const [path, content] of Object.entries(commit.files)) {
      stream += content === null ? `D ${path}\n` : `M 100644 inline ${path}\n${data(content)}`;
    }
    stream += '\n';
  });
  const marksDir = mkdtempSync(join(tmpdir(), 'leakguard-marks-'));
  const marks = join(marksDir, 'marks');
  try {
    execFileSync('git', ['-C', dir, 'fast-import', '--quiet', `--export-marks=${marks}`], { input: stream, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    const ids = new Map(
      readFileSync(marks, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(' ') as [string, string]),
    );
    return commits.map((_, i) => ids.get(`:${i + 1}`) ?? '');
  } finally {
    rmSync(marksDir, { recursive: true, force: true });
  }
}

function tipOf(dir: string, branch: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}
