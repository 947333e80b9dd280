import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
/**
 * Git in one repository. Untranslated messages, no prompts (a fetch that needs credentials fails instead of
 * hanging the job), and no optional locks.
 */
export class GitClient {
    dir;
    constructor(dir) {
        this.dir = dir;
    }
    run(args) {
        return new Promise((resolve) => {
            const child = spawn('git', ['-C', this.dir, ...args], {
                env: { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
                stdio: ['ignore', 'pipe', 'pipe'],
            });
            const out = [];
            const err = [];
            child.stdout.on('data', (b) => out.push(b));
            child.stderr.on('data', (b) => err.push(b));
            child.once('error', (error) => resolve({ code: 127, stdout: '', stderr: `cannot run git: ${error.message}` }));
            child.once('close', (code) => resolve({ code: code ?? 128, stdout: Buffer.concat(out).toString('utf8').trim(), stderr: Buffer.concat(err).toString('utf8').trim() }));
        });
    }
    /** Stdout of a command that succeeded, else undefined. */
    async output(args) {
        const result = await this.run(args);
        return result.code === 0 ? result.stdout : undefined;
    }
    async isRepository() {
        return (await this.output(['rev-parse', '--git-dir'])) !== undefined;
    }
    async isShallow() {
        return (await this.output(['rev-parse', '--is-shallow-repository'])) === 'true';
    }
    /** The commit a revision names, or undefined when it is not in the repository. */
    async commit(rev) {
        const oid = await this.output(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
        return oid === undefined || oid === '' ? undefined : oid;
    }
    async isAncestor(ancestor, of) {
        return (await this.run(['merge-base', '--is-ancestor', ancestor, of])).code === 0;
    }
    async mergeBase(a, b) {
        const out = await this.output(['merge-base', a, b]);
        return out === undefined || out === '' ? undefined : out.split('\n')[0];
    }
    /** Commits in `from..head` (all of head's history when from is undefined). */
    async revList(from, head) {
        const out = await this.output(['rev-list', head, ...(from === undefined ? [] : [`^${from}`])]);
        return out === undefined || out === '' ? [] : out.split('\n');
    }
    /** The shallow boundary: commits whose parents were not fetched. */
    async shallowCommits() {
        const path = await this.output(['rev-parse', '--path-format=absolute', '--git-path', 'shallow']);
        if (path === undefined)
            return new Set();
        try {
            return new Set(readFileSync(path, 'utf8').split('\n').filter((l) => l !== ''));
        }
        catch {
            return new Set();
        }
    }
    /** The remote to fetch from: `origin` (what actions/checkout sets up), else the only remote. */
    async remote() {
        const remotes = ((await this.output(['remote'])) ?? '').split('\n').filter((r) => r !== '');
        return remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
    }
}
