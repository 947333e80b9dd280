import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules } from '../../engine/compiled-rule.js';
import { Engine } from '../../engine/engine.js';
import type { ChunkMatcher } from '../../engine/worker-pool.js';
import type { Finding } from '../../finding.js';
import { githubStyleToken } from '../../rules/checksums.js';
import { defaultRulesDir, loadRuleFile } from '../../rules/rule-loader.js';
import type { ScanSummary } from '../../summary.js';
import { scanLogs } from './log-scan.js';
import { LogSource, type LogSourceOptions } from './log-source.js';

/**
 * Shared by the log tests (not shipped behaviour): an engine on the GitHub and private-key rule files
 * only, so other rule files being edited cannot change these tests, and a scan that collects findings.
 */
let engine: Engine | undefined;

export function logTestEngine(): Engine {
  const files = ['github.yaml', 'private-key.yaml'].map((f) => join(defaultRulesDir(), f)).filter((f) => existsSync(f));
  engine ??= new Engine(compileRules(files.flatMap((f) => loadRuleFile(f))));
  return engine;
}

export interface CollectedScan {
  readonly findings: Finding[];
  readonly summary: ScanSummary;
}

export async function collectLogScan(
  inputs: readonly string[],
  options: Partial<LogSourceOptions> & { cwd: string },
  scan: { allOccurrences?: boolean; redactTo?: string; engine?: Engine; matcher?: ChunkMatcher } = {},
): Promise<CollectedScan> {
  const findings: Finding[] = [];
  const summary = await scanLogs({
    source: new LogSource(inputs, options),
    engine: scan.engine ?? logTestEngine(),
    reporters: [{ onFinding: (f) => void findings.push(f), onEnd: () => undefined }],
    run: { tool: { name: 'leakguard', version: 'test' }, command: 'logs', root: options.cwd, rules: [] },
    ...(scan.allOccurrences === undefined ? {} : { allOccurrences: scan.allOccurrences }),
    ...(scan.redactTo === undefined ? {} : { redactTo: scan.redactTo }),
    ...(scan.matcher === undefined ? {} : { matcher: scan.matcher }),
  });
  return { findings, summary };
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `leakguard-${prefix}-`));
}

/** A fresh GitHub-format token with a valid checksum (fake: random characters). */
export function fakeToken(prefix = 'ghp'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let random = '';
  for (let i = 0; i < 30; i++) random += alphabet[Math.floor(Math.random() * alphabet.length)];
  return githubStyleToken(prefix, random);
}
