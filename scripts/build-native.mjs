// Builds the keyword prefilter's native fast path (packages/scanner-core/native): the Hyperscan addon, then
// the rule library's database. Optional: without Hyperscan's headers (Debian: libhyperscan-dev) or Node's,
// it says so and the engine keeps every keyword on RE2.Set (slower, the same findings). Run after `tsc -b`:
// the database is compiled from the built rule loader. The addon is rebuilt only when its source is newer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const nativeDir = join(root, 'packages/scanner-core/native');
const buildDir = join(nativeDir, 'build');
const source = join(nativeDir, 'keyword-scanner.c');
const addonFile = join(buildDir, 'keyword-scanner.node');
const say = (message) => process.stderr.write(`build-native: ${message}\n`);

const nodeHeaders = [process.env.npm_config_nodedir, join(dirname(process.execPath), '..')]
  .filter(Boolean)
  .map((dir) => join(dir, 'include/node'))
  .find((dir) => existsSync(join(dir, 'node_api.h')));
const hyperscan = spawnSync('pkg-config', ['--cflags', '--libs', 'libhs'], { encoding: 'utf8' });
const hsFlags = hyperscan.status === 0 ? hyperscan.stdout.trim().split(/\s+/) : existsSync('/usr/include/hs/hs.h') ? ['-lhs'] : undefined;

if (nodeHeaders === undefined || hsFlags === undefined) {
  say(`skipped (${nodeHeaders === undefined ? "Node's headers (node_api.h)" : 'Hyperscan (libhyperscan-dev)'} not found); keywords are searched with RE2.Set`);
  process.exit(0);
}

mkdirSync(buildDir, { recursive: true });
if (!existsSync(addonFile) || statSync(addonFile).mtimeMs < statSync(source).mtimeMs) {
  const cc = process.env.CC ?? 'cc';
  const compiled = spawnSync(cc, ['-O2', '-shared', '-fPIC', '-Wall', `-I${nodeHeaders}`, '-o', `${addonFile}.tmp`, source, ...hsFlags], { stdio: 'inherit' });
  if (compiled.status !== 0) {
    say(`skipped (${cc} failed); keywords are searched with RE2.Set`);
    process.exit(0);
  }
  renameSync(`${addonFile}.tmp`, addonFile);
}

// The database: the rule library's prefilter patterns (keyword-library.ts), compiled by the addon just built.
const { loadAddon, DATABASE_FILE, INDEX_FILE } = await import('../packages/scanner-core/dist/engine/native-keywords.js');
const { compileKeywordLibrary } = await import('../packages/scanner-core/dist/engine/keyword-library.js');
const { loadRuleDir } = await import('../packages/scanner-core/dist/rules/rule-loader.js');
const addon = loadAddon();
if (addon === undefined) {
  say('skipped (the addon does not load here); keywords are searched with RE2.Set');
  process.exit(0);
}
let compiled;
try {
  compiled = compileKeywordLibrary(addon, loadRuleDir());
} catch (error) {
  // e.g. a CPU Hyperscan does not support: the scans go on without the database.
  say(`skipped (${error instanceof Error ? error.message : String(error)}); keywords are searched with RE2.Set`);
  process.exit(0);
}
const { database, index } = compiled;
writeAtomically(join(buildDir, DATABASE_FILE), database);
writeAtomically(join(buildDir, INDEX_FILE), JSON.stringify(index));
const held = index.triggerFrom;
say(`${held} keyword and screen patterns on Hyperscan ${index.hyperscan.split(' ')[0]}, ${index.patterns.length - held} case triggers`);

function writeAtomically(file, data) {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}
