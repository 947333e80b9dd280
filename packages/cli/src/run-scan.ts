import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import {
  createScanner,
  DEFAULT_CONFIG,
  findConfig,
  loadConfig,
  ruleInfo,
  WorkerPoolMatcher,
  scan,
  UsageError,
  type LeakguardConfig,
  type ScanSummary,
} from '@leakguard/scanner-core';
import { reporters } from '@leakguard/scanner-core/reporters';
import type { Source } from '@leakguard/scanner-core/sources';
import type { CliIo, ExitCode } from './io.js';
import type { ScanArgs } from './scan-options.js';
import { VERSION } from './version.js';

/** The config a command uses: `--config`, else the nearest `.leakguard.yaml` above the target, else defaults. */
export function resolveConfig(args: Pick<ScanArgs, 'config'>, io: CliIo, target: string): LeakguardConfig {
  if (args.config !== undefined) return loadConfig(resolve(io.cwd, args.config));
  const found = findConfig(resolve(io.cwd, target));
  return found === undefined ? DEFAULT_CONFIG : loadConfig(found);
}

/** Runs sources through the scanner into the chosen reporter and maps the result to an exit code. */
export async function runScan(args: ScanArgs, io: CliIo, sources: readonly Source[], target: string, command: string): Promise<ExitCode> {
  const config = resolveConfig(args, io, target);
  const key = io.env['LEAKGUARD_FINGERPRINT_KEY'];
  const scanner = createScanner(config, key === undefined || key === '' ? {} : { fingerprintKey: key });
  const out = args.output === undefined ? io.stdout : await openOutput(resolve(io.cwd, args.output));
  const reporter = reporters[args.format](out, { color: args.color && io.stdoutIsTTY && args.output === undefined });
  const fingerprintKey = key === undefined || key === '' ? undefined : key;
  const jobs = Math.max(1, Math.floor(args.jobs));
  const matcher = jobs > 1 ? new WorkerPoolMatcher(scanner.engine, { config, ...(fingerprintKey === undefined ? {} : { fingerprintKey }) }, jobs) : undefined;
  let summary: ScanSummary;
  try {
    summary = await scan({
      ...(matcher === undefined ? {} : { matcher }),
      sources,
      engine: scanner.engine,
      filters: scanner.filters,
      reporters: [reporter],
      run: { tool: { name: 'leakguard', version: VERSION }, command, root: io.cwd, rules: scanner.rules.map(ruleInfo) },
      signal: io.signal,
      onWarning: (w) => io.stderr.write(`leakguard: warning: ${w.input}: ${w.message}\n`),
    });
  } finally {
    if (out !== io.stdout) await closeOutput(out);
  }
  if (args.output !== undefined) {
    io.stderr.write(`leakguard: ${summary.findings} leak${summary.findings === 1 ? '' : 's'} found; report written to ${args.output}\n`);
  }
  if (summary.partial) return io.signal.reason === 'SIGTERM' ? 143 : 130;
  return summary.findings > 0 ? 1 : 0;
}

async function openOutput(path: string): Promise<Writable> {
  const stream = createWriteStream(path);
  await new Promise<void>((ok, fail) => {
    stream.once('open', () => ok());
    stream.once('error', (error) => fail(new UsageError(`--output ${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? error.message})`)));
  });
  return stream;
}

async function closeOutput(stream: Writable): Promise<void> {
  await new Promise<void>((ok, fail) => stream.end((error?: Error | null) => (error ? fail(error) : ok())));
}
