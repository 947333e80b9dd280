import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, mergeJson, mergeSarif, parseReport, UsageError } from '@leakguard/scanner-core';
import { defineCommand } from './command.js';

interface MergeArgs {
  readonly reports: string[];
  readonly output?: string;
}

export const mergeCommand = defineCommand<MergeArgs>({
  command: 'merge <reports..>',
  describe: 'join shard reports (all JSON or all SARIF) into one, deduplicating findings',
  builder: (yargs) =>
    yargs
      .positional('reports', { type: 'string', array: true, describe: 'report files from `--shard I/N` runs' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the merged report to FILE' }) as never,
  handler: (args, io) => {
    const parsed = args.reports.map((path) => {
      let text: string;
      try {
        text = readFileSync(resolve(io.cwd, path), 'utf8');
      } catch (error) {
        throw new InputError(`${path}: cannot read report (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      return parseReport(text, path);
    });
    const kinds = new Set(parsed.map((p) => p.kind));
    if (kinds.size > 1) throw new UsageError('merge: reports must all be JSON or all be SARIF');
    const merged =
      parsed[0]?.kind === 'sarif'
        ? mergeSarif(parsed.map((p) => (p.kind === 'sarif' ? p.log : { version: '2.1.0' as const, runs: [] })))
        : mergeJson(parsed.flatMap((p) => (p.kind === 'json' ? [p.report] : [])));
    const text = `${JSON.stringify(merged, null, 2)}\n`;
    if (args.output === undefined) io.stdout.write(text);
    else writeFileSync(resolve(io.cwd, args.output), text);
    const count = 'findings' in merged ? merged.findings.length : (merged.runs[0]?.results?.length ?? 0);
    return Promise.resolve(count > 0 ? 1 : 0);
  },
});
