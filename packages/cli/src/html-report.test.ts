import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../scanner-core/src/testing/fake-tokens.js';
import { githubRulesConfig } from './testing/github-rules-config.js';
import { runCli } from './testing/run-cli.js';

/** Debian's chromium, headless, with everything that could phone home turned off. .ci/run installs it. */
function chromium(url: string, extra: string[]): string {
  if (!existsSync('/usr/bin/chromium')) throw new Error('chromium is not installed: apt-get install -y chromium');
  const profile = mkdtempSync(join(tmpdir(), 'leakguard-chromium-'));
  return execFileSync(
    '/usr/bin/chromium',
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-extensions', '--hide-scrollbars', `--user-data-dir=${profile}`,
      ...extra, url,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
}

function git(repo: string, date: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
}

function commitFile(repo: string, path: string, text: string, date: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
  git(repo, date, 'add', '.');
  git(repo, date, 'commit', '-q', '-m', `change ${path}`);
}

describe('--format html', () => {
  const tokens = [fakeGithubToken(801), fakeGithubToken(802, 'gho'), fakeGithubToken(803, 'ghs'), fakeGithubToken(804)];
  const repo = mkdtempSync(join(tmpdir(), 'leakguard-html-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  commitFile(repo, 'src/app.js', `const token = "${tokens[0]}";\n`, '2026-01-05T10:00:00Z');
  commitFile(repo, 'deploy/ci.sh', `curl -H "token ${tokens[1]}" <script>alert(1)</script>\n`, '2026-01-20T10:00:00Z');
  commitFile(repo, 'deploy/k8s/secret.yaml', `data:\n  t: ${Buffer.from(tokens[2] ?? '').toString('base64')}\n`, '2026-02-11T10:00:00Z');
  commitFile(repo, 'README.md', `use ${tokens[3]}\nand again ${tokens[0]}\n`, '2026-03-02T10:00:00Z');
  const out = join(mkdtempSync(join(tmpdir(), 'leakguard-html-out-')), 'report.html');

  it('writes one self-contained file that makes no network request', async () => {
    const result = await runCli(['git', '.', '-f', 'html', '-o', out, '-j', '1', '--config', githubRulesConfig()], { cwd: repo });
    expect(result.exitCode).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(statSync(out).size).toBeGreaterThan(5000);
    for (const token of tokens) expect(html).not.toContain(token);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).not.toContain('<script>alert(1)');
  });

  it('renders in headless chromium: totals, charts and one row per secret, filterable from the URL', () => {
    const url = pathToFileURL(out).href;
    const dom = chromium(url, ['--dump-dom']);
    const rows = [...dom.matchAll(/<tr data-severity="(\w+)" data-rule="([\w.-]+)"[^>]*?( class="hidden")?>/g)];
    expect(rows.map((r) => r[2]).sort()).toEqual(['github.app-token', 'github.oauth-token', 'github.pat-classic', 'github.pat-classic']);
    expect(dom).toContain('4 of 4 secrets shown'); // written by the page's own script: it ran
    expect(dom).toMatch(/<div class="n">5<\/div><div class="muted">findings<\/div>/);
    for (const title of ['Findings by rule', 'Findings by provider', 'Findings by top directory', 'Findings over time']) {
      expect(dom).toContain(`aria-label="${title}`);
    }
    expect(dom).toContain('<title>2026-03-02: 2</title>'); // daily buckets over a short span
    expect(dom).toContain('<title>deploy/: 2</title>');
    expect(dom).toContain('decoded: base64');
    for (const token of tokens) expect(dom).not.toContain(token);

    const filtered = chromium(`${url}#q=deploy%2Fk8s`, ['--dump-dom']);
    const visible = [...filtered.matchAll(/<tr data-severity="\w+" data-rule="([\w.-]+)"[^>]*?(?: class="(hidden)")?>/g)].filter((r) => r[2] !== 'hidden');
    expect(visible.map((r) => r[1])).toEqual(['github.app-token']);
    expect(filtered).toContain('1 of 4 secrets shown');

    const png = join(dirname(out), 'report.png');
    chromium(url, [`--screenshot=${png}`, '--window-size=1280,1800']);
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(20_000);
  });
});
