import { createHash } from 'node:crypto';

/** One of N disjoint parts of a scan: `--shard 2/5` is `{ index: 2, count: 5 }` (1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `I/N`; returns an error message instead of throwing so the CLI can report it as usage. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return `--shard takes I/N (e.g. 2/5), not "${text}"`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return `--shard ${text}: need 1 ≤ I ≤ N`;
  return { index, count };
}

/**
 * Whether an item belongs to a shard: a stable hash of its key (path, blob id, layer digest) modulo N.
 * The same key lands in the same shard on every machine, so N runs cover everything exactly once.
 */
export function inShard(shard: Shard | undefined, key: string): boolean {
  if (shard === undefined || shard.count === 1) return true;
  const h = createHash('sha1').update(key).digest();
  return h.readUInt32BE(0) % shard.count === shard.index - 1;
}
