// Measures whether reading a repository's pack in-process (node:zlib + git's delta format, pack order) would pay
// against `git cat-file --batch-all-objects --batch --unordered | cat` (issue 3 asks). A measurement, not product code:
// one pack, OFS_DELTA only, base objects cached up to CACHE_MB (default 256). Usage: node scripts/bench/pack-reader.mjs REPO.git
import { readFileSync, readdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
const dir = process.argv[2] + '/objects/pack/';
const name = readdirSync(dir).find((f) => f.endsWith('.idx'));
const idx = readFileSync(dir + name);
const pack = readFileSync(dir + name.replace('.idx', '.pack'));
const t0 = performance.now();
const n = idx.readUInt32BE(8 + 255 * 4);
const offTable = 8 + 256 * 4 + n * 20 + n * 4;
const largeTable = offTable + n * 4;
const offsets = new Float64Array(n);
for (let i = 0; i < n; i++) {
  let o = idx.readUInt32BE(offTable + i * 4);
  if (o & 0x80000000) { const k = o & 0x7fffffff; o = Number(idx.readBigUInt64BE(largeTable + k * 8)); }
  offsets[i] = o;
}
offsets.sort();
const end = new Map(); for (let i = 0; i < n; i++) end.set(offsets[i], i + 1 < n ? offsets[i + 1] : pack.length - 20);
const cache = new Map(); let cacheBytes = 0; const LIMIT = +(process.env.CACHE_MB ?? 256) * 1024 * 1024;
const typeOf = new Map();
function header(off) {
  let p = off; let c = pack[p++]; const type = (c >> 4) & 7; let size = c & 15; let shift = 4;
  while (c & 0x80) { c = pack[p++]; size += (c & 0x7f) * 2 ** shift; shift += 7; }
  let base;
  if (type === 6) { c = pack[p++]; let o = c & 0x7f; while (c & 0x80) { c = pack[p++]; o = ((o + 1) * 128) + (c & 0x7f); } base = off - o; }
  else if (type === 7) { throw new Error('ref delta'); }
  return { type, size, data: p, base };
}
let inflated = 0;
function object(off) {
  const hit = cache.get(off); if (hit) { cache.delete(off); cache.set(off, hit); return hit; }
  const h = header(off);
  const raw = inflateSync(pack.subarray(h.data, end.get(off)));
  inflated += raw.length;
  let out, type;
  if (h.type === 6) { const b = object(h.base); type = b.type; out = applyDelta(b.data, raw); }
  else { type = h.type; out = raw; }
  const v = { type, data: out };
  cache.set(off, v); cacheBytes += out.length;
  while (cacheBytes > LIMIT) { const [k, e] = cache.entries().next().value; cache.delete(k); cacheBytes -= e.data.length; }
  return v;
}
function varint(d, p) { let v = 0, s = 0, c; do { c = d[p++]; v += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return [v, p]; }
function applyDelta(base, d) {
  let [, p] = varint(d, 0); let size; [size, p] = varint(d, p);
  const out = Buffer.allocUnsafe(size); let o = 0;
  while (p < d.length) {
    const c = d[p++];
    if (c & 0x80) {
      let off = 0, len = 0;
      if (c & 1) off |= d[p++]; if (c & 2) off |= d[p++] << 8; if (c & 4) off |= d[p++] << 16; if (c & 8) off += d[p++] * 2 ** 24;
      if (c & 16) len |= d[p++]; if (c & 32) len |= d[p++] << 8; if (c & 64) len |= d[p++] << 16; if (len === 0) len = 0x10000;
      base.copy(out, o, off, off + len); o += len;
    } else { d.copy(out, o, p, p + c); o += c; p += c; }
  }
  return out;
}
let blobBytes = 0, all = 0, blobs = 0;
for (let i = 0; i < n; i++) { const v = object(offsets[i]); all += v.data.length; if (v.type === 3) { blobBytes += v.data.length; blobs++; } }
const t1 = performance.now();
console.log(`${n} objects, ${blobs} blobs, ${(blobBytes / 1e6).toFixed(0)} MB blob bytes, ${(all / 1e6).toFixed(0)} MB all, inflated ${(inflated / 1e6).toFixed(0)} MB, ${(t1 - t0).toFixed(0)} ms`);
