import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectIdTable } from './object-id-table.js';

const sha1 = (n: number): string => createHash('sha1').update(String(n)).digest('hex');
const sha256 = (n: number): string => createHash('sha256').update(String(n)).digest('hex');
const add = (table: ObjectIdTable, hex: string): number | undefined => table.add(Buffer.from(`x ${hex} y`, 'latin1'), 2, 2 + hex.length);

describe('ObjectIdTable', () => {
  it('numbers ids densely in the order first added, and finds each again, across many rehashes', () => {
    const table = new ObjectIdTable();
    for (let n = 0; n < 20_000; n++) expect(add(table, sha1(n))).toBe(n);
    for (let n = 0; n < 20_000; n += 7) expect(add(table, sha1(n))).toBe(n); // already there: the same number
    expect(table.size).toBe(20_000);
    for (let n = 0; n < 20_000; n += 3) expect(table.find(sha1(n))).toBe(n);
    expect(table.find(sha1(20_000))).toBeUndefined();
  });

  it('reads hex in either case, and never adds or finds what is not an id of its width', () => {
    const table = new ObjectIdTable();
    const id = sha1(1);
    expect(add(table, id)).toBe(0);
    expect(table.find(id.toUpperCase())).toBe(0);
    expect(add(table, id.toUpperCase())).toBe(0);
    expect(add(table, `${id.slice(0, 39)}g`)).toBeUndefined();
    expect(add(table, id.slice(0, 38))).toBeUndefined();
    expect(add(table, sha256(1))).toBeUndefined(); // a table holds one object format: the first id's
    expect(table.find(sha256(1))).toBeUndefined();
    expect(table.find('')).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it('holds SHA-256 ids', () => {
    const table = new ObjectIdTable();
    for (let n = 0; n < 3000; n++) expect(add(table, sha256(n))).toBe(n);
    expect(table.find(sha256(2999))).toBe(2999);
    expect(table.find(sha1(2999))).toBeUndefined();
  });

  it('agrees with a Map of the same ids, for ids that share long prefixes (colliding hashes)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.boolean()), { maxLength: 400 }), (ops) => {
        const table = new ObjectIdTable();
        const map = new Map<string, number>();
        // Only the last 3 hex digits vary: every id has the same first 8 bytes, so every hash is the same.
        const id = (n: number): string => `${'ab'.repeat(18)}9${n.toString(16).padStart(3, '0')}`;
        for (const [n, insert] of ops) {
          if (insert) {
            if (!map.has(id(n))) map.set(id(n), map.size);
            expect(add(table, id(n))).toBe(map.get(id(n)));
          } else expect(table.find(id(n))).toBe(map.get(id(n)));
        }
        expect(table.size).toBe(map.size);
      }),
    );
  });
});
