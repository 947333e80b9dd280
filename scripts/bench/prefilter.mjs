// Benchmark behind the keyword prefilter choice: one case-insensitive RE2.Set of every rule keyword, against
// an Aho-Corasick automaton over bytes written in JS, on the generated dir corpus. Same answers, measured speed.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './lib.mjs';
import { buildDirCorpus } from './dir.mjs';

const require = createRequire(join(ROOT, 'packages/scanner-core/package.json'));
const RE2 = require('re2');

function automaton(keywords) {
  const next = [new Map()];
  const fail = [0];
  const out = [[]];
  keywords.forEach((k, i) => {
    let s = 0;
    for (const c of Buffer.from(k)) {
      let n = next[s].get(c);
      if (n === undefined) {
        n = next.length;
        next.push(new Map());
        fail.push(0);
        out.push([]);
        next[s].set(c, n);
      }
      s = n;
    }
    out[s].push(i);
  });
  const queue = [...next[0].values()];
  while (queue.length > 0) {
    const r = queue.shift();
    for (const [c, u] of next[r]) {
      queue.push(u);
      let f = fail[r];
      while (f !== 0 && !next[f].has(c)) f = fail[f];
      const g = next[f].get(c);
      fail[u] = g !== undefined && g !== u ? g : 0;
      out[u] = out[u].concat(out[fail[u]]);
    }
  }
  const delta = new Int32Array(next.length * 256);
  for (let s = 0; s < next.length; s++) {
    for (let c = 0; c < 256; c++) {
      const lower = c >= 65 && c <= 90 ? c + 32 : c;
      let t = s;
      while (t !== 0 && !next[t].has(lower)) t = fail[t];
      delta[s * 256 + c] = next[t].get(lower) ?? 0;
    }
  }
  return (data) => {
    const found = new Set();
    let s = 0;
    for (let i = 0; i < data.length; i++) {
      s = delta[s * 256 + data[i]];
      if (out[s].length > 0) for (const k of out[s]) found.add(k);
    }
    return found.size;
  };
}


if (import.meta.url === `file://${process.argv[1]}`) {
  buildDirCorpus();
  const { loadRuleDir } = await import(join(ROOT, 'packages/scanner-core/dist/rules/rule-loader.js'));
  const keywords = [...new Set(loadRuleDir().flatMap((r) => r.keywords))];
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.isFile() && !e.name.startsWith('.')) files.push(readFileSync(join(d, e.name)));
    }
  };
  walk(join(ROOT, '.bench/dir-tree'));
  const total = files.reduce((n, f) => n + f.length, 0);
  const escape = (k) => k.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const set = new RE2.Set(keywords.map((k) => `(?i)${escape(k)}`));
  const ac = automaton(keywords);
  const time = (name, fn) => {
    const t = process.hrtime.bigint();
    let hits = 0;
    for (const f of files) hits += fn(f);
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    return { name, mbps: total / 1e6 / s, hits };
  };
  const rows = [time('RE2.Set (chosen)', (f) => set.match(f).length), time('Aho-Corasick in JS', ac)];
  console.log(`${keywords.length} keywords, ${(total / 1e6).toFixed(0)} MB in ${files.length} files`);
  for (const r of rows) console.log(`${r.name}: ${r.mbps.toFixed(0)} MB/s (${r.hits} keyword hits)`);
}
