import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../chunk.js';
import { ByteRing, ChunkLoans } from './byte-ring.js';

describe('ByteRing', () => {
  it('lends in order around the block and reclaims what comes back in that order', () => {
    const ring = new ByteRing(100);
    const a = ring.take(40);
    const b = ring.take(40);
    expect(ring.take(30)).toBeUndefined(); // 20 left at the end, and the start is lent
    ring.give(a as Buffer);
    const c = ring.take(30); // wraps to the start
    expect(c?.byteOffset).toBe(a?.byteOffset);
    expect(ring.take(20)).toBeUndefined(); // wrapped: only 10 free before b
    ring.give(b as Buffer);
    ring.give(c as Buffer);
    expect(ring.lentBytes).toBe(0);
    expect(ring.take(100)?.length).toBe(100);
  });

  it('reclaims a buffer given back early only after the older ones', () => {
    const ring = new ByteRing(90);
    const [a, b, c] = [ring.take(30), ring.take(30), ring.take(30)] as Buffer[];
    ring.give(b as Buffer);
    expect(ring.take(30)).toBeUndefined(); // b's space waits for a
    ring.give(a as Buffer);
    expect(ring.take(60)?.length).toBe(60); // a and b, at the start
    expect(ring.holds(c as Buffer)).toBe(true);
    expect(ring.holds(Buffer.alloc(4))).toBe(false);
  });

  it('never lends the same bytes twice at once and keeps what was written, whatever the order of gives', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 90 }), fc.nat()), { maxLength: 120 }), (ops) => {
        const ring = new ByteRing(256);
        const live: { buffer: Buffer; fill: number }[] = [];
        let fill = 0;
        for (const [take, length, pick] of ops) {
          if (take || live.length === 0) {
            const buffer = ring.take(length);
            if (buffer === undefined) continue;
            fill = (fill % 250) + 1;
            buffer.fill(fill);
            live.push({ buffer, fill });
          } else {
            const [gone] = live.splice(pick % live.length, 1);
            if (gone !== undefined) ring.give(gone.buffer);
          }
          for (const { buffer, fill: f } of live) expect(buffer.every((byte) => byte === f)).toBe(true);
        }
        for (const { buffer } of live) ring.give(buffer);
        expect(ring.lentBytes).toBe(0);
        expect(ring.take(256)?.length).toBe(256); // all of it comes back
      }),
      { numRuns: 300 },
    );
  });

  describe('ChunkLoans', () => {
    const chunkOf = (data: Buffer): Chunk => ({ data, origin: { kind: 'file', path: 'x' }, offset: 0, line: 1, column: 1 });
    async function* of(...chunks: Chunk[]): AsyncGenerator<Chunk> {
      yield* chunks;
    }
    const drain = async (chunks: AsyncIterable<Chunk>): Promise<Chunk[]> => {
      const out: Chunk[] = [];
      for await (const c of chunks) out.push(c);
      return out;
    };

    it('gives a lent buffer back once every chunk holding it is released, not before', async () => {
      const loans = new ChunkLoans(100);
      const bytes = loans.ring.take(60) as Buffer;
      const [a, b] = await drain(loans.lend(bytes, of(chunkOf(bytes.subarray(0, 30)), chunkOf(bytes.subarray(30)))));
      expect(loans.ring.lentBytes).toBe(60);
      loans.release(a as Chunk);
      expect(loans.ring.lentBytes).toBe(60);
      loans.release(b as Chunk);
      expect(loans.ring.lentBytes).toBe(0);
    });

    it('gives it back at once when no chunk holds it, or when a chunk is released while more are still made', async () => {
      const loans = new ChunkLoans(100);
      const skipped = loans.ring.take(40) as Buffer;
      expect(await drain(loans.lend(skipped, of(chunkOf(Buffer.from('transcoded elsewhere')))))).toHaveLength(1);
      expect(loans.ring.lentBytes).toBe(0);
      const bytes = loans.ring.take(50) as Buffer;
      const lending = loans.lend(bytes, of(chunkOf(bytes.subarray(0, 10)), chunkOf(bytes.subarray(10, 20))));
      const first = await lending.next();
      loans.release(first.value as Chunk); // released before the second chunk was even made
      expect(loans.ring.lentBytes).toBe(50);
      const second = await lending.next();
      expect(await lending.next()).toMatchObject({ done: true });
      loans.release(second.value as Chunk);
      expect(loans.ring.lentBytes).toBe(0);
    });
  });
});
