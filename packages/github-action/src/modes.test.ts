import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { useHermeticGit } from '../../scanner-core/src/testing/git-test-repo.js';
import { schemaErrors } from '../../scanner-core/src/testing/sarif-validate.js';
import { runCli } from '../../cli/src/testing/run-cli.js';
import { pushEvent } from './testing/event-payloads.js';
import { runStep } from './testing/simulated-runner.js';

const TOKEN = fakeGithubToken(6401);
const RUN_SHA = 'c0ffee'.padEnd(40, '0');

beforeAll(() => useHermeticGit());

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakguard-ws-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const event = pushEvent({ ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40) });

describe('modes', () => {
  it('auto scans a workspace that is not a repository as files, linking findings at the run commit', async () => {
    const dir = workspace({ 'app/settings.env': `A=1\nTOKEN=${TOKEN}\n` });
    const step = await runStep({ workspace: dir, eventName: 'push', event, sha: RUN_SHA });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('mode auto: dir');
    expect(step.stdout).toMatch(/^::error file=app\/settings\.env,line=2,endLine=2,col=7,/m);
    expect(step.summary).toContain(`[app/settings.env:2](https://github.com/octo-org/widgets/blob/${RUN_SHA}/app/settings.env#L2)`);
    expect(schemaErrors(JSON.parse(readFileSync(join(dir, 'leakguard.sarif'), 'utf8')))).toEqual([]);
    expect(step.stdout + step.summary).not.toContain(TOKEN);
  });

  it('honours the baseline and config inputs', async () => {
    const dir = workspace({ 'app/settings.env': `TOKEN=${TOKEN}\n`, 'ci/leakguard.yaml': "allow:\n  paths:\n    - 'app/**'\n" });
    expect((await runCli(['baseline', 'create', '--baseline', 'ci/baseline.json', 'dir', 'app'], { cwd: dir })).exitCode).toBe(0);
    const baselined = await runStep({ workspace: dir, eventName: 'push', event, inputs: { mode: 'dir', target: 'app', baseline: 'ci/baseline.json' } });
    expect(baselined.exitCode).toBe(0);
    expect(baselined.outputs['leaks']).toBe('0');
    const configured = await runStep({ workspace: dir, eventName: 'push', event, inputs: { mode: 'dir', config: 'ci/leakguard.yaml' } });
    expect(configured.outputs['leaks']).toBe('0');
    const plain = await runStep({ workspace: dir, eventName: 'push', event, inputs: { mode: 'dir', target: 'app' } });
    expect(plain.outputs['leaks']).toBe('1');
  });

  it('logs: annotations without a repository location', async () => {
    const dir = workspace({ 'logs/app.log': `2024-05-01T10:00:00Z start\n2024-05-01T10:00:01Z auth token=${TOKEN}\n` });
    const step = await runStep({ workspace: dir, eventName: 'workflow_dispatch', event: {}, inputs: { mode: 'logs', target: 'logs/app.log' } });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/^::error title=leakguard%3A github\.pat-classic::GitHub classic personal access token in logs\/app\.log:2\./m);
    expect(step.stdout + step.summary).not.toContain(TOKEN);
  });

  it.each([
    [{ mode: 'image' }, 'input target: mode image needs an image'],
    [{ mode: 'logs', target: 'x.log', baseline: 'b.json' }, 'input baseline: mode logs has no baseline'],
    [{ mode: 'git' }, '.: not a git repository (check it out with actions/checkout, or use mode: dir)'],
    [{ mode: 'svn' }, "input mode: expected one of auto, dir, git, image, logs, got 'svn'"],
    [{ mode: 'dir', target: 'src\n--output=/etc/passwd' }, "input target: '--output=/etc/passwd' looks like an option"],
  ])('rejects %j with one error line and exit code 2', async (inputs, message) => {
    const step = await runStep({ workspace: workspace({ 'a.txt': 'a\n' }), eventName: 'push', event, inputs });
    expect(step.exitCode).toBe(2);
    expect(step.stdout).toContain(`::error title=leakguard::${message}`);
    expect(step.outputs['exit-code']).toBe('2');
  });
});
