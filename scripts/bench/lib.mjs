// Shared helpers for the benchmark scripts: corpus folders, hyperfine medians, peak RSS, markdown rows.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH = join(ROOT, '.bench');
export const CLI = join(ROOT, 'packages/cli/dist/bin.js');
mkdirSync(BENCH, { recursive: true });

/** A deterministic generator so corpora are the same on every run. */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function randomString(random, length, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

export function sh(command, options = {}) {
  return execFileSync('bash', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30, ...options }).toString();
}

/**
 * Runs commands under hyperfine and returns, per command, the median wall time and mean user+system CPU
 * seconds. Non-zero exits are allowed (leakguard exits 1 when it finds the planted secrets).
 */
export function hyperfine(commands, { runs = 5, warmup = 1 } = {}) {
  const out = join(BENCH, `hyperfine-${process.pid}.json`);
  const args = ['--style', 'none', '-N', '-i', '--runs', String(runs), '--warmup', String(warmup), '--export-json', out];
  const shellArgs = commands.map((c) => c.command);
  const r = spawnSync('hyperfine', [...args.filter((a) => a !== '-N'), '--shell', 'bash', ...shellArgs], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`hyperfine failed (${r.status})`);
  const results = JSON.parse(readFileSync(out, 'utf8')).results;
  rmSync(out, { force: true });
  // `-i` lets leakguard's exit 1 (leaks found) be timed; anything else means the command broke and its time
  // would be a lie (a script that fails at import "runs" in 0.1 s).
  results.forEach((res, i) => {
    const bad = (res.exit_codes ?? []).find((code) => code !== 0 && code !== 1);
    if (bad !== undefined) throw new Error(`bench: ${commands[i].command} exited ${bad}`);
  });
  return results.map((res, i) => ({ name: commands[i].name, median: res.median, cpu: res.user + res.system }));
}

/** Peak resident set size in MB of one run of a shell command (GNU time). */
export function peakRssMb(command) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'bash', '-c', `${command} >/dev/null 2>/dev/null`], { cwd: ROOT, encoding: 'utf8' });
  const kb = Number(r.stderr.trim().split('\n').pop());
  return Math.round(kb / 1024);
}

export function mb(bytes) {
  return bytes / 1e6;
}

export function duBytes(path) {
  return Number(sh(`du -sb --apparent-size ${JSON.stringify(path)} | cut -f1`).trim());
}

export function exists(path) {
  return existsSync(path);
}

/** A markdown table of rows { mode, input, tool, wall, cpu, rss, mbps, ratio }. */
export function table(rows) {
  const head = '| mode | input | command | median wall (s) | CPU (s) | peak RSS (MB) | MB/s | ratio vs floor |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |';
  const body = rows.map((r) => `| ${r.mode} | ${r.input} | ${r.tool} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rss ?? ''} | ${r.mbps === undefined ? '' : r.mbps.toFixed(0)} | ${r.ratio ?? ''} |`);
  return [head, ...body].join('\n');
}
