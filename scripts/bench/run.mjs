// `pnpm bench`: builds the corpora, runs every benchmark mode and writes docs/benchmarks.md.
// Usage: pnpm bench [mode ...]   (modes: dir git image logs; default: all that exist)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT, table } from './lib.mjs';

const MODES = ['dir', 'git', 'image', 'logs'];
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : MODES;
execFileSync('npx', ['tsc', '-b', 'packages/scanner-core', 'packages/cli'], { cwd: ROOT, stdio: 'inherit' });

const sections = [];
const allRows = [];
for (const mode of wanted) {
  const file = join(ROOT, 'scripts/bench', `${mode}.mjs`);
  if (!existsSync(file)) continue;
  const module = await import(file);
  const run = module[`bench${mode[0].toUpperCase()}${mode.slice(1)}`];
  if (typeof run !== 'function') continue;
  console.error(`bench: ${mode}`);
  const result = await run();
  allRows.push(...result.rows);
  sections.push(`### ${mode}\n\nCommands:\n\n${result.commands.map((c) => `    ${c}`).join('\n')}\n${result.notes ? `\n${result.notes}\n` : ''}`);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
// Which keyword pass the scans used (docs/limits.md): the Hyperscan database when scripts/build-native.mjs built it.
const nativeIndex = join(ROOT, 'packages/scanner-core/native/build/keywords.json');
const keywordPass = existsSync(nativeIndex) && process.env.LEAKGUARD_NATIVE_KEYWORDS !== '0'
  ? `Hyperscan ${JSON.parse(readFileSync(nativeIndex, 'utf8')).hyperscan.split(' ')[0]} (the rule library's prefilter patterns)`
  : 'RE2.Set (no Hyperscan database, or LEAKGUARD_NATIVE_KEYWORDS=0)';
const previous = existsSync(join(ROOT, 'docs/benchmarks.md')) ? readFileSync(join(ROOT, 'docs/benchmarks.md'), 'utf8') : '';
const notes = previous.includes('<!-- notes -->') ? previous.slice(previous.indexOf('<!-- notes -->')) : '<!-- notes -->\n';
const doc = `# Benchmarks

Written by \`pnpm bench\` (scripts/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}; keyword pass:
${keywordPass}.
Every row is the median of repeated hyperfine runs; each floor command runs in the same invocation on the same
data, and the ratio compares against it.

${table(allRows)}

${sections.join('\n')}
${notes}`;
writeFileSync(join(ROOT, 'docs/benchmarks.md'), doc);
console.error('wrote docs/benchmarks.md');
