import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Makes every git process of this test worker hermetic: no system or user config, a fixed identity, no
 * signing, a fixed default branch. The scanner's own git processes inherit `process.env`, so they see the
 * same settings as the repositories the tests build.
 */
export function useHermeticGit(): void {
  const home = mkdtempSync(join(tmpdir(), 'leakguard-git-home-'));
  const globalConfig = join(home, 'gitconfig');
  writeFileSync(globalConfig, '[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n[protocol "file"]\n\tallow = always\n');
  Object.assign(process.env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: globalConfig,
    HOME: home,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
  });
  delete process.env['GIT_DIR'];
  delete process.env['GIT_WORK_TREE'];
  delete process.env['GIT_INDEX_FILE'];
}

/** What a file becomes in a commit: content, or null to delete it. */
export type FileChange = string | Buffer | null;

/** A real repository in a temp directory, written through real git commands. */
export class TestRepo {
  readonly dir: string;
  #clock = 1_700_000_000;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(options: { bare?: boolean } = {}): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-git-'));
    const repo = new TestRepo(dir);
    repo.git('init', '-q', ...(options.bare === true ? ['--bare'] : []));
    return repo;
  }

  /** Wraps an existing directory (a clone made by `git clone`). */
  static at(dir: string): TestRepo {
    return new TestRepo(dir);
  }

  /** Runs git in the repository; returns stdout without the trailing newline. */
  git(...args: string[]): string {
    return this.gitBytes(...args).toString('utf8').replace(/\n$/, '');
  }

  gitBytes(...args: string[]): Buffer {
    return execFileSync('git', ['-C', this.dir, ...args], { env: this.#env(), stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  }

  /** Feeds a `git fast-import` stream (for big histories). */
  fastImport(stream: string | Buffer): void {
    execFileSync('git', ['-C', this.dir, 'fast-import', '--quiet'], { input: stream, env: this.#env(), maxBuffer: 1 << 30 });
  }

  /** Writes (or deletes, with null) files in the worktree without staging them. */
  write(files: Record<string, FileChange>): void {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) {
        unlinkSync(full);
      } else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
  }

  /** Writes the files, stages exactly them, commits; returns the new commit id. */
  commit(message: string, files: Record<string, FileChange>, author?: { name: string; email: string }): string {
    this.write(files);
    const paths = Object.keys(files);
    if (paths.length > 0) this.git('add', '-A', '--', ...paths);
    this.#clock += 60;
    const env = author === undefined ? {} : { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email };
    execFileSync('git', ['-C', this.dir, 'commit', '-q', '--allow-empty', '-m', message], { env: { ...this.#env(), ...env }, stdio: 'pipe' });
    return this.git('rev-parse', 'HEAD');
  }

  /** Object file of a loose object (for deleting one to simulate a partial mirror). */
  looseObjectPath(oid: string): string {
    const gitDir = this.git('rev-parse', '--absolute-git-dir');
    return join(gitDir, 'objects', oid.slice(0, 2), oid.slice(2));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  #env(): NodeJS.ProcessEnv {
    const date = `${this.#clock} +0000`;
    return { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  }
}
