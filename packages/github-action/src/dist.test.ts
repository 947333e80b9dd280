import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('dist/', () => {
  it('is exactly what src compiles to (action.yml runs the committed dist/main.js)', () => {
    const out = mkdtempSync(join(tmpdir(), 'leakguard-action-dist-'));
    execFileSync(process.execPath, [tsc, '-p', packageDir, '--outDir', out], { stdio: 'pipe' });
    const built = readdirSync(out).sort();
    expect(readdirSync(join(packageDir, 'dist')).sort()).toEqual(built);
    for (const file of built) {
      expect(readFileSync(join(packageDir, 'dist', file), 'utf8'), `dist/${file} is stale: run npx tsc -p packages/github-action`).toBe(readFileSync(join(out, file), 'utf8'));
    }
  });

  it('imports nothing but Node built-ins and its own files (it runs without node_modules)', () => {
    for (const file of readdirSync(join(packageDir, 'dist'))) {
      const specifiers = [...readFileSync(join(packageDir, 'dist', file), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1] ?? '');
      for (const s of specifiers) expect(s, `dist/${file}`).toMatch(/^(node:|\.\/)/);
    }
  });
});
