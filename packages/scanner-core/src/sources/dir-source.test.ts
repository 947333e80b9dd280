import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../engine/compiled-rule.js';
import { Engine } from '../engine/engine.js';
import type { Finding } from '../finding.js';
import { defaultRulesDir, loadRuleFile } from '../rules/rule-loader.js';
import { scan } from '../scan.js';
import type { ScanSummary } from '../summary.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import { DirSource } from './dir-source.js';

const engine = new Engine(compileRules(loadRuleFile(join(defaultRulesDir(), 'github.yaml'))));

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-dir-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

async function scanTree(root: string, paths: string[] = ['.']): Promise<{ findings: Finding[]; summary: ScanSummary }> {
  const findings: Finding[] = [];
  const summary = await scan({
    sources: [new DirSource(paths, { cwd: root })],
    engine,
    reporters: [{ onFinding: (f) => void findings.push(f), onEnd: () => undefined }],
    run: { tool: { name: 'leakguard', version: 't' }, command: 'dir', root, rules: [] },
  });
  return { findings, summary };
}

const where = (fs: Finding[]): string[] => fs.map((f) => `${f.origin.path}:${f.location.line}`).sort();

describe('DirSource', () => {
  const t = (n: number): string => fakeGithubToken(100 + n);

  it('honours nested .gitignore and .leakguardignore files and never enters .git', async () => {
    const root = tree({
      '.gitignore': 'build/\n*.log\n',
      'build/out.js': t(1),
      'app.log': t(2),
      'src/.leakguardignore': 'generated.js\n',
      'src/generated.js': t(3),
      'src/main.js': `\n${t(4)}`,
      '.git/config': t(5),
      'keep.txt': t(6),
    });
    expect(where((await scanTree(root)).findings)).toEqual(['keep.txt:1', 'src/main.js:2']);
  });

  it('skips binary files by sniffing and counts them; scans UTF-16 text', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`key=${t(7)}\r\n`, 'utf16le')]);
    const root = tree({ 'image.bin': Buffer.concat([Buffer.from([0x89, 0x50, 0x00, 0x01]), Buffer.from(t(8))]), 'win.txt': utf16 });
    const { findings, summary } = await scanTree(root);
    expect(where(findings)).toEqual(['win.txt:1']);
    expect(findings[0]?.location.column).toBe(5);
    expect(summary.skipped).toEqual({ binary: 1 });
    expect(summary.itemsScanned).toBe(1);
  });

  it('follows no symlink out of the root and warns about it', async () => {
    const outside = tree({ 'secret.txt': t(9) });
    const root = tree({ 'inside.txt': t(10) });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(outside, join(root, 'escape-dir'));
    symlinkSync(join(root, 'inside.txt'), join(root, 'alias.txt'));
    symlinkSync(join(root, 'loop'), join(root, 'loop'));
    const { findings, summary } = await scanTree(root);
    expect(where(findings)).toEqual(['inside.txt:1']);
    expect(summary.warnings.map((w) => w.input).sort()).toEqual(['escape-dir', 'escape.txt', 'loop']);
    expect(summary.skipped['symlink inside the root (target scanned)']).toBe(1);
  });

  it('scans a file larger than a window exactly once per secret, with right lines', async () => {
    const line = 'filler text for a large file that needs windows to be read\n';
    const lines = Math.ceil((9 * 1024 * 1024) / line.length);
    const parts = [line.repeat(lines), `x=${t(11)}\n`, line.repeat(100), `y=${t(12)}\n`];
    const root = tree({ 'big.txt': parts.join('') });
    const { findings } = await scanTree(root);
    expect(where(findings)).toEqual([`big.txt:${lines + 1}`, `big.txt:${lines + 102}`]);
  });

  it('scans explicitly named files and reports paths relative to the working directory', async () => {
    const root = tree({ 'a/b.txt': t(13), 'c.txt': 'clean' });
    expect(where((await scanTree(root, ['a/b.txt', 'c.txt'])).findings)).toEqual(['a/b.txt:1']);
  });
});
