import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { TestRepo, useHermeticGit } from '../../scanner-core/src/testing/git-test-repo.js';
import { schemaErrors } from '../../scanner-core/src/testing/sarif-validate.js';
import { pullRequestEvent } from './testing/event-payloads.js';
import { makeMergeRef, pullRequestCheckout } from './testing/git-remotes.js';
import { importCommits } from './testing/history-builder.js';
import { runnerEnv } from './testing/simulated-runner.js';
import { parseOutputs } from './workflow-commands.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'packages/github-action/dist/main.js');
const cliBin = join(root, 'packages/cli/dist/bin.js');
const TOKEN = fakeGithubToken(6501);
const repos: TestRepo[] = [];

beforeAll(() => {
  useHermeticGit();
  // `pnpm test` builds the CLI first; a lone run of this file builds it if needed.
  if (!existsSync(cliBin)) execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/scanner-core', 'packages/cli'], { cwd: root, stdio: 'pipe' });
}, 300_000);
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('node dist/main.js', () => {
  it('runs as the composite action runs it: a shallow PR checkout, the installed CLI, outputs, summary, annotations', () => {
    const origin = TestRepo.create({ bare: true });
    repos.push(origin);
    const [base = ''] = importCommits(origin.dir, 'main', undefined, [{ message: 'init', files: { 'README.md': '# x\n' } }]);
    const [leak = '', head = ''] = importCommits(origin.dir, 'feature', base, [
      { message: 'config', files: { 'config/ci.env': `CI_TOKEN=${TOKEN}\n` } },
      { message: 'more', files: { 'b.txt': 'b\n' } },
    ]);
    makeMergeRef(origin, 12, base, head);
    const ws = pullRequestCheckout(origin, 12, 1);
    repos.push(ws);
    const env = runnerEnv({ workspace: ws.dir, eventName: 'pull_request', event: pullRequestEvent({ number: 12, base, head, commits: 2 }) });

    const child = spawnSync(process.execPath, [main], { cwd: ws.dir, env: { ...process.env, ...env, LEAKGUARD_BIN: cliBin }, encoding: 'utf8', timeout: 120_000 });

    expect(child.status).toBe(1);
    expect(child.stderr).toBe('');
    const outputs = parseOutputs(readFileSync(env['GITHUB_OUTPUT'] ?? '', 'utf8'));
    expect(outputs).toEqual({ leaks: '1', 'sarif-file': join(ws.dir, 'leakguard.sarif'), 'exit-code': '1' });
    expect(child.stdout).toContain('leakguard: fetched');
    expect(child.stdout).toMatch(/^::error file=config\/ci\.env,line=1,/m);
    const summary = readFileSync(env['GITHUB_STEP_SUMMARY'] ?? '', 'utf8');
    expect(summary).toContain(`https://github.com/octo-org/widgets/blob/${leak}/config/ci.env#L1`);
    const sarif: unknown = JSON.parse(readFileSync(outputs['sarif-file'] ?? '', 'utf8'));
    expect(schemaErrors(sarif)).toEqual([]);
    expect(child.stdout + summary).not.toContain(TOKEN);
  });

  it.each([
    ['a missing CLI', join(root, 'no/such/bin.js'), /LEAKGUARD_BIN .* does not exist[^]*^::error title=leakguard::leakguard exited with code 2; the scan did not complete/m],
    ['a CLI that exits 1 without a report', join(root, 'packages/github-action/src/testing/exit-1.mjs'), /^::error title=leakguard::leakguard exited with code 1 but wrote no readable SARIF report/m],
  ])('reports %s as a failed scan (exit code 2), not a crash', (_, bin, message) => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit('one', { 'a.txt': 'a\n' });
    const env = runnerEnv({ workspace: repo.dir, eventName: 'workflow_dispatch', event: {} });
    const child = spawnSync(process.execPath, [main], { env: { ...process.env, ...env, LEAKGUARD_BIN: bin }, encoding: 'utf8' });
    expect(child.status).toBe(2);
    expect(child.stdout).toMatch(message);
    expect(child.stdout).not.toContain('internal error');
    expect(parseOutputs(readFileSync(env['GITHUB_OUTPUT'] ?? '', 'utf8'))).toEqual({ 'sarif-file': '', 'exit-code': '2' });
  });
});
