// Bundles the built CLI (packages/cli/dist) into packages/cli/dist/bundle/: one ESM file per entry point plus
// shared and lazily imported chunks. Node then loads a handful of files instead of ~100 modules, which is
// most of a pre-commit hook's start-up (measured: `git --staged` 269 → 209 ms). dist/bin.js loads the
// bundle when it is at least as new as dist/run.js, and the unbundled modules otherwise.
// Native and optional packages stay external: re2 (addon), dockerode (optional ssh transport), and yaml
// (loaded with createRequire on first use); packages/cli depends on them so they resolve from the bundle.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}packages/cli/dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    // The same depth below the repository as packages/scanner-core/dist/rules/ (chunks too: no subfolder),
    // and named as in dist, so import.meta.url-relative paths (the rule library, the worker script,
    // dist/bin.js) resolve alike.
    run: `${root}packages/cli/dist/run.js`,
    'early-workers': `${root}packages/cli/dist/early-workers.js`,
    'engine-worker': `${root}packages/scanner-core/dist/engine/engine-worker.js`,
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['re2', 'yaml', 'dockerode'],
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __leakguardRequire } from 'node:module'; const require = __leakguardRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [lazySegmenter()],
});

// The validated-rules cache is keyed by the build of the code that reads it, so every new bundle starts cold,
// and the first scan after it would spend ~1 s validating the library and deriving which rules' matches hold a
// keyword (compiling every pattern). Load the library once now, so that first scan (a fresh CI job's, the
// quick start's) starts as fast as the rest. A read-only install only loses the cache, not the scan.
// Caches keyed by earlier bundles' chunk names are never read again.
for (const name of readdirSync(`${root}packages/cli/dist`)) if (name.startsWith('.rule-cache-')) rmSync(`${root}packages/cli/dist/${name}`);
const warm = spawnSync(process.execPath, [`${root}packages/cli/dist/bin.js`, 'rules', 'list', '--format', 'json'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (warm.status !== 0) throw new Error(`warming the rule cache: leakguard rules list exited ${warm.status}`);

/**
 * string-width (yargs' help layout) builds an `Intl.Segmenter` when it loads: ~12 ms of ICU start-up on every
 * run, though only help text ever measures a string. In the bundle it is built on first use instead. The
 * build fails if the source no longer has the expected lines (a new version), rather than bundle it unchanged.
 */
function lazySegmenter() {
  return {
    name: 'lazy-segmenter',
    setup(b) {
      b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, ({ path }) => {
        const source = readFileSync(path, 'utf8');
        const contents = source
          .replace('const segmenter = new Intl.Segmenter();', 'let segmenter;')
          .replace('of segmenter.segment(', 'of (segmenter ??= new Intl.Segmenter()).segment(');
        if (!contents.includes('let segmenter;') || !contents.includes('segmenter ??= new Intl.Segmenter()')) {
          throw new Error(`${path}: string-width changed; update scripts/bundle-cli.mjs (lazy Intl.Segmenter)`);
        }
        return { contents, loader: 'js' };
      });
    },
  };
}
