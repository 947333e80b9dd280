import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSlab } from './byte-slab.js';

const bytes = (length: number, fill: number): Buffer => Buffer.alloc(length, fill);

describe('ByteSlab', () => {
  it('places copies side by side and refuses one that no free range holds', () => {
    const slab = new ByteSlab(100);
    const a = slab.copy(bytes(40, 1));
    const b = slab.copy(bytes(40, 2));
    expect(a?.equals(bytes(40, 1))).toBe(true);
    expect(b?.equals(bytes(40, 2))).toBe(true);
    expect(slab.copy(bytes(30, 3))).toBeUndefined();
    expect(slab.available).toBe(20);
  });

  it('merges released neighbours, so a range freed piecewise takes one large copy again', () => {
    const slab = new ByteSlab(90);
    const parts = [1, 2, 3].map((fill) => slab.copy(bytes(30, fill)));
    slab.release(parts[0] as Buffer);
    slab.release(parts[2] as Buffer);
    expect(slab.copy(bytes(60, 9))).toBeUndefined(); // two holes of 30, not adjacent
    slab.release(parts[1] as Buffer);
    expect(slab.available).toBe(90);
    expect(slab.copy(bytes(90, 9))?.equals(bytes(90, 9))).toBe(true);
  });

  it('never lets two live copies overlap, whatever the order of copies and releases', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 70 }), fc.nat()), { maxLength: 80 }), (ops) => {
        const slab = new ByteSlab(256);
        const live: { copy: Buffer; fill: number }[] = [];
        let fill = 0;
        for (const [add, length, pick] of ops) {
          if (add || live.length === 0) {
            fill = (fill % 250) + 1;
            const copy = slab.copy(bytes(length, fill));
            if (copy !== undefined) live.push({ copy, fill });
          } else {
            const [gone] = live.splice(pick % live.length, 1);
            if (gone !== undefined) slab.release(gone.copy);
          }
          // Every live copy still holds exactly what was written into it.
          for (const { copy, fill: f } of live) expect(copy.every((b) => b === f)).toBe(true);
          expect(slab.available).toBe(256 - live.reduce((n, { copy }) => n + copy.length, 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ignores a buffer it did not hand out', () => {
    const slab = new ByteSlab(64);
    slab.copy(bytes(64, 1));
    slab.release(bytes(64, 2));
    expect(slab.available).toBe(0);
  });
});
